import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Delivers a message with Debian's `swaks` (a real SMTP client we did not write). Test support only. */
export interface SwaksResult {
  code: number;
  output: string;
  /** The last reply to DATA's end, e.g. "250 2.0.0 OK: queued as ...". */
  dataReply: string | null;
}

export async function swaksSend(opts: { port: number; from: string; to: string | string[]; data: Buffer | string; extra?: string[] }): Promise<SwaksResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tocsin-swaks-'));
  try {
    const file = join(dir, 'message.eml');
    await writeFile(file, opts.data);
    const to = Array.isArray(opts.to) ? opts.to.join(',') : opts.to;
    const args = ['--server', '127.0.0.1', '--port', String(opts.port), '--from', opts.from, '--to', to, '--data', `@${file}`, '--timeout', '20', ...(opts.extra ?? [])];
    return await new Promise<SwaksResult>((resolve, reject) => {
      const child = spawn('swaks', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => out.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        const output = Buffer.concat(out).toString('utf8');
        // swaks prints client lines as " -> ..." and server replies as "<-  250 ..." ("<** 5xx" for
        // errors; "~>"/"<~" under TLS); the reply after the lone "." answers DATA
        const lines = output.split('\n');
        const dot = lines.findIndex((l) => /^ [-~]> \.$/.test(l.trimEnd()));
        const reply = dot >= 0 ? lines.slice(dot + 1).find((l) => /^<[-~*]+ +\d{3}/.test(l)) : undefined;
        resolve({ code: code ?? -1, output, dataReply: reply ? reply.replace(/^<[-~*]+ +/, '').trim() : null });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
