import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Drives Debian's GnuPG (`gpg`) in a throw-away home directory, for interoperability tests: a real
 * OpenPGP implementation that we did not write. Test support only.
 */
export interface GpgResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** Lines of --status-fd output ("GOODSIG ...", "VALIDSIG ...") without the "[GNUPG:] " prefix. */
  status: string[];
}

export class GnuPG {
  private constructor(readonly home: string) {}

  static async create(): Promise<GnuPG> {
    const home = await mkdtemp(join(tmpdir(), 'tocsin-gpg-'));
    await chmod(home, 0o700);
    // The agent's default S2K count is calibrated for C; unlocking such a key in JavaScript takes
    // seconds. Tests do not need that protection.
    await writeFile(join(home, 'gpg-agent.conf'), 's2k-count 65536\n');
    return new GnuPG(home);
  }

  /** Runs gpg in batch mode; rejects on a non-zero exit unless `allowFailure`. */
  async run(args: string[], input?: Buffer | string, allowFailure = false): Promise<GpgResult> {
    const full = ['--homedir', this.home, '--batch', '--no-tty', '--yes', '--trust-model', 'always', '--status-fd', '2', ...args];
    const result = await new Promise<GpgResult>((resolve, reject) => {
      const child = spawn('gpg', full, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GNUPGHOME: this.home, LC_ALL: 'C' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const status = stderr
          .split('\n')
          .filter((l) => l.startsWith('[GNUPG:] '))
          .map((l) => l.slice(9));
        resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr, status });
      });
      // gpg may exit before reading all of its input (e.g. a refused key): the exit code tells.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
    if (result.code !== 0 && !allowFailure) throw new Error(`gpg ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result;
  }

  /** Generates an Ed25519/Curve25519 key without passphrase; returns its fingerprint. */
  async generateKey(userId: string, expire = 'never'): Promise<string> {
    await this.run(['--passphrase', '', '--pinentry-mode', 'loopback', '--quick-gen-key', userId, 'future-default', 'default', expire]);
    return this.fingerprint(userId);
  }

  async fingerprint(userIdOrEmail: string): Promise<string> {
    const { stdout } = await this.run(['--with-colons', '--list-keys', userIdOrEmail]);
    const line = stdout
      .toString('utf8')
      .split('\n')
      .find((l) => l.startsWith('fpr:'));
    if (!line) throw new Error(`no key for ${userIdOrEmail}`);
    return line.split(':')[9]!;
  }

  async exportPublic(userIdOrEmail: string): Promise<string> {
    return (await this.run(['--armor', '--export', userIdOrEmail])).stdout.toString('utf8');
  }

  async exportSecret(userIdOrEmail: string, passphrase = ''): Promise<string> {
    const { stdout } = await this.run(['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--armor', '--export-secret-keys', userIdOrEmail]);
    return stdout.toString('utf8');
  }

  async importKey(key: string | Buffer): Promise<GpgResult> {
    return this.run(['--import'], key);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const child = spawn('gpgconf', ['--homedir', this.home, '--kill', 'all'], { stdio: 'ignore' });
      child.on('error', () => resolve());
      child.on('close', () => resolve());
    });
    await rm(this.home, { recursive: true, force: true });
  }
}
