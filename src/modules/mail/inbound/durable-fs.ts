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

/**
 * Group commit for directory fsyncs: renames into the same directory that happen while a sync is
 * running share the next one. A caller's promise resolves only after an fsync that STARTED after
 * its call, so its rename is covered.
 */
export class DirSyncer {
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    // The running round may have begun before the caller's rename: wait for the next one.
    this.queued = this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<void> {
    const round = fsyncDir(this.dir).finally(() => {
      if (this.inFlight === round) this.inFlight = null;
    });
    this.inFlight = round;
    return round;
  }
}
