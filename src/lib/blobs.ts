import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PayloadTooLarge } from './errors.js';
import { secretToken } from './ids.js';

/**
 * Content-addressed file store (SHA-256) under the data folder, outside any web root. Writes are
 * streamed with a size limit, fsynced, then renamed into place, so a stored blob is complete.
 * An S3-compatible store can implement the same interface for scale-out.
 */
export interface BlobStore {
  put(stream: Readable, opts: { maxBytes: number; name?: string }): Promise<{ sha256: string; size: number }>;
  putBuffer(data: Buffer): Promise<{ sha256: string; size: number }>;
  open(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  /**
   * Deletes a blob last written before `writtenBefore` (a blob written again since, by an upload of the
   * same bytes, is kept: the caller checked references before that upload's row existed). True when deleted.
   */
  removeIfOlder(sha256: string, writtenBefore: Date): Promise<boolean>;
}

export function createFileBlobStore(root: string): BlobStore {
  const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  const tmpDir = join(root, 'tmp');

  async function commit(tmp: string, sha256: string): Promise<void> {
    const target = pathOf(sha256);
    await mkdir(join(root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
    await rename(tmp, target); // same content, same name: a concurrent duplicate write is harmless
  }

  return {
    async put(stream, { maxBytes, name }) {
      await mkdir(tmpDir, { recursive: true });
      const tmp = join(tmpDir, `${secretToken(12)}.part`);
      const fh = await open(tmp, 'w', 0o600);
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) {
            stream.destroy();
            throw new PayloadTooLarge('attachment_too_large', undefined, { params: { name: name ?? '', limit: maxBytes } });
          }
          hash.update(chunk);
          await fh.write(chunk);
        }
        // The multipart parser marks a part cut at its size limit as truncated instead of erroring.
        if ((stream as Readable & { truncated?: boolean }).truncated) {
          throw new PayloadTooLarge('attachment_too_large', undefined, { params: { name: name ?? '', limit: maxBytes } });
        }
        await fh.sync();
      } catch (err) {
        await fh.close();
        await rm(tmp, { force: true });
        throw err;
      }
      await fh.close();
      const sha256 = hash.digest('hex');
      await commit(tmp, sha256);
      return { sha256, size };
    },
    async putBuffer(data) {
      await mkdir(tmpDir, { recursive: true });
      const sha256 = createHash('sha256').update(data).digest('hex');
      const tmp = join(tmpDir, `${secretToken(12)}.part`);
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.write(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await commit(tmp, sha256);
      return { sha256, size: data.length };
    },
    open(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
      return createReadStream(pathOf(sha256));
    },
    async exists(sha256) {
      return stat(pathOf(sha256)).then(
        () => true,
        () => false,
      );
    },
    async removeIfOlder(sha256, writtenBefore) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
      const info = await stat(pathOf(sha256)).catch(() => null);
      if (!info || info.mtimeMs >= writtenBefore.getTime()) return false;
      await rm(pathOf(sha256), { force: true });
      return true;
    },
  };
}
