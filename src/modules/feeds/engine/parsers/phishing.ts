/**
 * Phishing URL lists in their three usual shapes:
 * - text: one URL a line (OpenPhish community feed and most lists), `#` comments, defanged URLs accepted;
 * - CSV with a header (PhishTank's `phish_id,url,phish_detail_url,submission_time,verified,…,target`);
 * - JSON: an array (PhishTank's online-valid.json, with `details[].ip_address`…) or one object a line
 *   (OpenPhish-like `{"url":…,"brand":…,"ip":…,"asn":…,"country_code":…,"discover_time":…}`).
 * The shape is detected from the start of the input unless configured.
 */
import type { FeedEvent } from '../event.js';
import { completeEvent } from '../harmonise.js';
import type { EventDraft } from '../harmonise.js';
import { LineSplitter } from '../io/line-splitter.js';
import { normaliseUrl, refang } from '../normalise/host.js';
import type { CsvMappingSpec, JsonMappingSpec } from './mapping.js';
import { openMapped } from './mapping.js';
import type { FeedParser, ParseSink, ResolvedParseOptions, TextSink } from './types.js';

const CONSTANTS = { 'classification.type': 'phishing', 'classification.identifier': 'phishing' } as const;

export const PHISHING_CSV_SPEC: CsvMappingSpec = {
  format: 'csv',
  fields: {
    'source.url': { from: ['url', 'phish_url', 'URL'], convert: 'refanged-url', required: true },
    'time.source': { from: ['submission_time', 'discover_time', 'first_seen', 'date', 'timestamp'] },
    'source.ip': { from: ['ip', 'ip_address'] },
    'source.asn': { from: ['asn'] },
    'source.geolocation.cc': { from: ['country_code', 'cc', 'country'] },
  },
  constants: CONSTANTS,
  extra: 'unmapped',
};

export const PHISHING_JSON_SPEC: JsonMappingSpec = {
  format: 'json',
  fields: {
    'source.url': { from: ['url', 'phish_url'], convert: 'refanged-url', required: true },
    'time.source': { from: ['submission_time', 'discover_time', 'first_seen', 'date', 'timestamp'] },
    'source.ip': { from: ['ip', 'ip_address', 'details.0.ip_address'] },
    'source.asn': { from: ['asn', 'details.0.announcing_network'] },
    'source.geolocation.cc': { from: ['country_code', 'cc', 'details.0.country'] },
  },
  constants: CONSTANTS,
  extra: [
    { from: 'phish_id' },
    { from: 'phish_detail_url' },
    { from: 'target', name: 'target' },
    { from: 'brand', name: 'target' },
    { from: 'verified', convert: 'bool' },
    { from: 'online', convert: 'bool' },
    { from: 'sector' },
  ],
};

class UrlListSession implements TextSink {
  private readonly lines: LineSplitter;

  constructor(options: ResolvedParseOptions, sink: ParseSink) {
    this.lines = new LineSplitter({
      line(text, lineNo) {
        const t = text.trim();
        if (t === '' || t.startsWith('#') || t.startsWith(';') || t.startsWith('//')) return;
        const url = normaliseUrl(refang(t));
        if (url === undefined) {
          sink.reject({ line: lineNo, reason: 'not a URL', excerpt: t.slice(0, 200) });
          return;
        }
        const draft: EventDraft = {
          'feed.name': options.feedName,
          'time.observation': options.observedAt,
          ...CONSTANTS,
          'source.url': url,
        };
        if (options.provider !== undefined) draft['feed.provider'] = options.provider;
        const reason = completeEvent(draft);
        if (reason !== undefined) sink.reject({ line: lineNo, reason, excerpt: t.slice(0, 200) });
        else sink.event(draft as unknown as FeedEvent, lineNo);
      },
      tooLong(lineNo, excerpt) {
        sink.reject({ line: lineNo, reason: 'line too long', excerpt });
      },
    });
  }

  write(text: string): void {
    this.lines.write(text);
  }

  end(): void {
    this.lines.end();
  }
}

export type PhishingFormat = 'text' | 'csv' | 'json';

/** Guesses the shape from the first non-blank line. */
export function detectPhishingFormat(firstLine: string): PhishingFormat {
  const t = firstLine.replace(/^\uFEFF/, '').trim();
  if (t.startsWith('[') || t.startsWith('{')) return 'json';
  if (/(^|[,;\t])"?(url|phish_url)"?([,;\t]|$)/i.test(t)) return 'csv';
  return 'text';
}

function openFormat(format: PhishingFormat, options: ResolvedParseOptions, sink: ParseSink): TextSink {
  if (format === 'text') return new UrlListSession(options, sink);
  return openMapped(format === 'csv' ? PHISHING_CSV_SPEC : PHISHING_JSON_SPEC, options, sink);
}

/** Buffers the start of the input until its first line is known, then hands everything to the right parser. */
class DetectingSession implements TextSink {
  private head = '';
  private inner: TextSink | undefined;

  constructor(
    private readonly options: ResolvedParseOptions,
    private readonly sink: ParseSink,
  ) {}

  write(text: string): void {
    if (this.inner !== undefined) return this.inner.write(text);
    this.head += text;
    const m = /\S[^\n]*\n/.exec(this.head);
    if (m === null && this.head.length < 1 << 16) return;
    this.start();
  }

  end(): void {
    if (this.inner === undefined) {
      if (this.head.trim() === '') return;
      this.start();
    }
    this.inner!.end();
  }

  private start(): void {
    const first = /\S[^\n]*/.exec(this.head)?.[0] ?? '';
    this.inner = openFormat(detectPhishingFormat(first), this.options, this.sink);
    const head = this.head;
    this.head = '';
    this.inner.write(head);
  }
}

export function createPhishingParser(config: { format?: PhishingFormat } = {}): FeedParser {
  return {
    id: 'phishing',
    open: (options, sink) =>
      config.format === undefined ? new DetectingSession(options, sink) : openFormat(config.format, options, sink),
  };
}
