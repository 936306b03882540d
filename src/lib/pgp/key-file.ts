import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Stores the armored, passphrase-encrypted team key as a file readable by the owner only
 * (mode 0600), replaced atomically so a crash never leaves half a key.
 */
export async function writeTeamKeyFile(path: string, armoredPrivateKey: string): Promise<void> {
  if (!armoredPrivateKey.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    throw new Error('writeTeamKeyFile expects an armored private key');
  }
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(armoredPrivateKey, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function readTeamKeyFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
