import { gunzipSync } from 'node:zlib';
import { extractZipEntry, listZip } from '../../malware/analysis/archives/zip.js';

/**
 * Feed files mailed as archives (Shadowserver and others zip their CSV reports), read with the malware
 * engine's zip reader (made for hostile input: zip64, bounded decompression, CRC checked). Anything that
 * reader only guesses at is refused here: a file without a central directory, encrypted entries, methods
 * other than stored and deflate, an entry over the size limit or a bomb-like ratio.
 */
export class ArchiveError extends Error {}

export interface ArchiveEntry {
  name: string;
  content: Buffer;
}

export function unzip(data: Buffer, limits: { maxEntryBytes: number; maxEntries: number }): ArchiveEntry[] {
  const listing = listZip(data, limits.maxEntries + 1);
  // Without a central directory the reader scans for local headers: good for malware triage, not for input we import.
  if (listing.warnings.some((w) => w.includes('no end of central directory'))) throw new ArchiveError('not a zip archive (no end of central directory)');
  if (listing.warnings.length) throw new ArchiveError(`corrupt archive: ${listing.warnings.join('; ')}`);
  if (listing.entries.length > limits.maxEntries) throw new ArchiveError(`too many entries (more than ${limits.maxEntries})`);
  const out: ArchiveEntry[] = [];
  for (const entry of listing.entries) {
    if (entry.isDirectory) continue;
    if (entry.encrypted) throw new ArchiveError(`${entry.name}: encrypted entries are not supported`);
    if (entry.method !== 0 && entry.method !== 8) throw new ArchiveError(`${entry.name}: compression method ${entry.method} is not supported`);
    if (entry.uncompressedSize > limits.maxEntryBytes) throw new ArchiveError(`${entry.name}: ${entry.uncompressedSize} bytes, over the limit of ${limits.maxEntryBytes}`);
    const r = extractZipEntry(data, entry, [], { maxOutput: Math.max(1, limits.maxEntryBytes), maxRatio: 10_000, ratioMinSize: 1 << 20 });
    if (r.status !== 'ok') throw new ArchiveError(`${entry.name}: ${r.status === 'bomb' ? `over the limit (${r.detail})` : r.detail}`);
    out.push({ name: entry.name, content: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) });
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
