import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, WEB_DIR, WEB_DIST } from './paths.js';

const MANIFEST = join(WEB_DIST, '.vite', 'manifest.json');
const LOCK = join(tmpdir(), `tocsin-web-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`);
const LOCK_STALE_MS = 5 * 60_000;

async function mtime(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function newestIn(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, await mtime(join(entry.parentPath, entry.name)));
  }
  return newest;
}

/** True when web/dist is missing or older than any source the build reads. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await mtime(MANIFEST);
  if (built === 0) return true;
  const sources = Math.max(
    await newestIn(join(WEB_DIR, 'src')),
    await mtime(join(WEB_DIR, 'index.html')),
    await mtime(join(WEB_DIR, 'vite.config.ts')),
    await mtime(join(REPO_ROOT, 'package-lock.json')),
  );
  return sources > built;
}

function runViteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', join(WEB_DIR, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output}`))));
  });
}

async function acquireLock(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(LOCK, 'wx');
      await handle.close();
      return () => rm(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another test file is building; a lock left by a killed run expires.
      if (Date.now() - (await mtime(LOCK)) > LOCK_STALE_MS) await rm(LOCK, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Builds the web app (vite build → web/dist) once, if it is missing or stale. Safe to call from
 * test files running in parallel: one builds, the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!(await webBuildIsStale())) return;
  const release = await acquireLock();
  try {
    if (await webBuildIsStale()) await runViteBuild();
  } finally {
    await release();
  }
}
