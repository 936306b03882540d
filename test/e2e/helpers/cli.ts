import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths.js';

/** Runs `tocsin <args>` (src/main.ts through tsx) against a data folder; resolves with its output, rejects on failure. */
export function runTocsin(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`tocsin ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

/** Waits until `read()` returns something (polling), or fails with `what` after `ms`. */
export async function eventually<T>(read: () => Promise<T | null | undefined> | T | null | undefined, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
