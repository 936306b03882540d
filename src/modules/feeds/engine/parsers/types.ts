import type { FeedEvent, RejectedRow } from '../event.js';

/** Where parsed events go. Push-based: one call per record, no promise per row. */
export interface ParseSink {
  event(event: FeedEvent, line: number): void;
  reject(row: RejectedRow): void;
}

/** Receives the decoded text of one input, in chunks. */
export interface TextSink {
  write(text: string): void;
  end(): void;
}

export interface ParseOptions {
  /** `feed.name` of every event. */
  feedName: string;
  /** `time.observation` of every event: when this input was fetched or received. Store it with the import so
   *  that a re-run of the same input yields identical events (and deduplication keys). */
  observedAt: string | Date;
  /** The input's file name, when it has one (Shadowserver reports are recognised by it). */
  fileName?: string;
  /** `feed.provider`, e.g. "Shadowserver". */
  provider?: string;
}

export interface ResolvedParseOptions {
  feedName: string;
  observedAt: string;
  fileName: string | undefined;
  provider: string | undefined;
}

export interface FeedParser {
  /** Stable identifier, e.g. "shadowserver", "phishing-list". */
  readonly id: string;
  open(options: ResolvedParseOptions, sink: ParseSink): TextSink;
}

/** The input is not of the expected format at all (e.g. a CSV header without the required columns): the whole
 *  import fails with this, rather than rejecting every row. */
export class FeedFormatError extends Error {
  readonly code = 'feeds.bad_format';
  constructor(message: string) {
    super(message);
    this.name = 'FeedFormatError';
  }
}

/** A configuration mistake (unknown report type, bad mapping): found before any row is read. */
export class FeedConfigError extends Error {
  readonly code = 'feeds.bad_config';
  constructor(message: string) {
    super(message);
    this.name = 'FeedConfigError';
  }
}
