import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The primitives of crash-safe files: data is on disk when fsync returns, and a rename (the commit
 * point) survives a crash only once the directory holding the new name has been fsynced too.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Renames and makes the rename durable (fsync of the target directory, and of the source one if different). */
export async function renameDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  const toDir = dirname(to);
  const fromDir = dirname(from);
  await fsyncDir(toDir);
  if (fromDir !== toDir) await fsyncDir(fromDir);
}

/** Writes a small file durably: temp file, fsync, rename into place, fsync the directory. */
export async function writeFileDurable(tmpPath: string, finalPath: string, data: string | Buffer, mode = 0o640): Promise<void> {
  const fh = await open(tmpPath, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await renameDurable(tmpPath, finalPath);
}
