/**
 * Driving a parser over a byte or text stream. Chunks are decoded as UTF-8 with a streaming decoder (a
 * multi-byte character split across chunks is kept whole; invalid bytes become U+FFFD rather than failing
 * the import). Backpressure is natural: the next chunk is read only after the previous one was parsed.
 */
import type { FeedEvent, RejectedRow } from '../event.js';
import { toIso, parseTime } from '../normalise/time.js';
import type { FeedParser, ParseOptions, ParseSink, ResolvedParseOptions, TextSink } from './types.js';
import { FeedConfigError } from './types.js';

/** A Node Readable, a web ReadableStream's async iterator, a generator, or an array of chunks. */
export type FeedSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export function resolveParseOptions(options: ParseOptions): ResolvedParseOptions {
  if (options.feedName.trim() === '') throw new FeedConfigError('feedName is required');
  const ms = options.observedAt instanceof Date ? options.observedAt.getTime() : parseTime(options.observedAt);
  const observedAt = toIso(ms);
  if (observedAt === undefined) throw new FeedConfigError(`invalid observedAt ${String(options.observedAt)}`);
  return {
    feedName: options.feedName.trim(),
    observedAt,
    fileName: options.fileName,
    provider: options.provider,
  };
}

const DECODE_PIECE = 32 * 1024;

/** Feeds every chunk of `source` to `sink` as text, then ends it. `afterChunk` is awaited after each chunk
 *  (backpressure for whoever consumes the parsed events). */
export async function pumpText(
  source: FeedSource,
  sink: TextSink,
  afterChunk?: () => Promise<void> | void,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    if (typeof chunk === 'string') sink.write(chunk);
    else {
      // Decode big chunks in pieces: a string over ~128 KiB is born in V8's large-object (old) space, and a
      // stream of them makes the collector run full collections over the whole heap; small ones die young.
      for (let at = 0; at < chunk.length; at += DECODE_PIECE) {
        const text = decoder.decode(chunk.subarray(at, Math.min(chunk.length, at + DECODE_PIECE)), { stream: true });
        if (text.length > 0) sink.write(text);
      }
    }
    if (afterChunk !== undefined) await afterChunk();
  }
  const rest = decoder.decode();
  if (rest.length > 0) sink.write(rest);
  sink.end();
}

/** Parses a whole source into `sink`. */
export async function parseFeed(
  parser: FeedParser,
  source: FeedSource,
  options: ParseOptions,
  sink: ParseSink,
  afterChunk?: () => Promise<void> | void,
): Promise<void> {
  const session = parser.open(resolveParseOptions(options), sink);
  await pumpText(source, session, afterChunk);
}

export interface ParsedFeed {
  events: { event: FeedEvent; line: number }[];
  rejected: RejectedRow[];
}

/** Parses a (small) source into arrays: for tests, previews and API pushes. */
export async function collectFeed(parser: FeedParser, source: FeedSource, options: ParseOptions): Promise<ParsedFeed> {
  const out: ParsedFeed = { events: [], rejected: [] };
  await parseFeed(parser, source, options, {
    event: (event, line) => out.events.push({ event, line }),
    reject: (row) => out.rejected.push(row),
  });
  return out;
}
