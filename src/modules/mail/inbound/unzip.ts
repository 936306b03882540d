import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';

/**
 * Just enough ZIP reading for feed files mailed as archives (Shadowserver and others zip their
 * CSV reports): the central directory, stored and deflated entries, CRC checked. Encrypted entries
 * and ZIP64 archives are refused, and every entry is inflated with a size limit (no zip bombs).
 */
export class ArchiveError extends Error {}

export interface ArchiveEntry {
  name: string;
  content: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function unzip(data: Buffer, limits: { maxEntryBytes: number; maxEntries: number }): ArchiveEntry[] {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError('not a zip archive (no end of central directory)');
  const count = data.readUInt16LE(eocd + 10);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ArchiveError('ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw new ArchiveError(`too many entries (${count}, at most ${limits.maxEntries})`);
  const out: ArchiveEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL) throw new ArchiveError('corrupt central directory');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const crc = data.readUInt32LE(p + 16);
    const compressed = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    const name = data.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue; // a directory
    if (flags & 1) throw new ArchiveError(`${name}: encrypted entries are not supported`);
    if (compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) throw new ArchiveError('ZIP64 archives are not supported');
    if (size > limits.maxEntryBytes) throw new ArchiveError(`${name}: ${size} bytes, over the limit of ${limits.maxEntryBytes}`);
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL) throw new ArchiveError(`${name}: corrupt local header`);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + compressed > data.length) throw new ArchiveError(`${name}: truncated`);
    const raw = data.subarray(start, start + compressed);
    let content: Buffer;
    try {
      if (method === 0) content = Buffer.from(raw);
      else if (method === 8) content = inflateRawSync(raw, { maxOutputLength: Math.max(1, limits.maxEntryBytes) });
      else throw new ArchiveError(`${name}: compression method ${method} is not supported`);
    } catch (err) {
      if (err instanceof ArchiveError) throw err;
      throw new ArchiveError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (content.length !== size || crc32(content) !== crc) throw new ArchiveError(`${name}: size or CRC does not match`);
    out.push({ name, content });
  }
  return out;
}

/** A gzip file's content, with a size limit. */
export function gunzip(data: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    throw new ArchiveError(`gzip: ${err instanceof Error ? err.message : String(err)}`);
  }
}
