/**
 * Spamhaus DROP-style network blocklists:
 *
 *   ; Spamhaus DROP List 2024/01/15 - (c) 2024 The Spamhaus Project
 *   ; Last-Modified: Mon, 15 Jan 2024 10:30:00 GMT
 *   1.10.16.0/20 ; SBL256894
 *
 * and the JSON-lines form (`{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}`, closed by a
 * `{"type":"metadata",…}` line). A bare address is accepted as a host entry. The list's Last-Modified time,
 * when given, is the events' time.source.
 */
import type { FeedEvent, JsonValue } from '../event.js';
import { completeEvent } from '../harmonise.js';
import type { EventDraft } from '../harmonise.js';
import { LineSplitter } from '../io/line-splitter.js';
import { formatCidr, parseCidr } from '../normalise/ip.js';
import { parseTime, toIso } from '../normalise/time.js';
import type { FeedParser, ParseSink, ResolvedParseOptions, TextSink } from './types.js';

export interface DropParserOptions {
  /** classification.identifier; default "spamhaus-drop". */
  identifier?: string;
}

class DropSession implements TextSink {
  private readonly lines: LineSplitter;
  private listTime: string | undefined;

  constructor(
    private readonly options: ResolvedParseOptions,
    private readonly sink: ParseSink,
    private readonly identifier: string,
  ) {
    this.lines = new LineSplitter({
      line: (text, lineNo) => this.line(text, lineNo),
      tooLong: (lineNo, excerpt) => sink.reject({ line: lineNo, reason: 'line too long', excerpt }),
    });
  }

  write(text: string): void {
    this.lines.write(text);
  }

  end(): void {
    this.lines.end();
  }

  private line(text: string, lineNo: number): void {
    const t = text.trim();
    if (t === '') return;
    if (t.startsWith(';') || t.startsWith('#')) {
      const m = /^[;#]\s*Last-Modified:\s*(.+)$/i.exec(t);
      if (m !== null) this.listTime = toIso(parseTime(m[1]!));
      return;
    }
    let cidrText: string;
    const extra: { [key: string]: JsonValue } = {};
    if (t.startsWith('{')) {
      let obj: unknown;
      try {
        obj = JSON.parse(t);
      } catch (err) {
        this.sink.reject({ line: lineNo, reason: `invalid JSON: ${(err as Error).message}`, excerpt: t.slice(0, 200) });
        return;
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
        this.sink.reject({ line: lineNo, reason: 'expected a JSON object', excerpt: t.slice(0, 200) });
        return;
      }
      const rec = obj as Record<string, unknown>;
      if (rec.type === 'metadata') {
        if (typeof rec.timestamp === 'number') this.listTime ??= toIso(rec.timestamp * 1000);
        return;
      }
      if (typeof rec.cidr !== 'string') {
        this.sink.reject({ line: lineNo, reason: 'missing cidr', excerpt: t.slice(0, 200) });
        return;
      }
      cidrText = rec.cidr;
      for (const k of ['sblid', 'rir', 'asn', 'domain'] as const) {
        const v = rec[k];
        if (typeof v === 'string' || typeof v === 'number') extra[k] = v;
      }
    } else {
      const semi = t.indexOf(';');
      cidrText = (semi < 0 ? t : t.slice(0, semi)).trim();
      const ref = semi < 0 ? '' : t.slice(semi + 1).trim();
      if (ref !== '') extra.sblid = ref;
    }
    const cidr = parseCidr(cidrText);
    if (cidr === undefined) {
      this.sink.reject({ line: lineNo, reason: `not a network: ${JSON.stringify(cidrText.slice(0, 60))}`, excerpt: t.slice(0, 200) });
      return;
    }
    const draft: EventDraft = {
      'feed.name': this.options.feedName,
      'time.observation': this.options.observedAt,
      'classification.type': 'blacklist',
      'classification.identifier': this.identifier,
    };
    if (this.options.provider !== undefined) draft['feed.provider'] = this.options.provider;
    if (this.listTime !== undefined) draft['time.source'] = this.listTime;
    const host = cidr.version === 4 ? cidr.prefix === 32 : cidr.prefix === 128;
    const text2 = formatCidr(cidr);
    if (host) draft['source.ip'] = text2.slice(0, text2.lastIndexOf('/'));
    else draft['source.network'] = text2;
    if (cidr.hostBitsSet) extra.listed_as = cidrText;
    if (Object.keys(extra).length > 0) draft.extra = extra;
    const reason = completeEvent(draft);
    if (reason !== undefined) this.sink.reject({ line: lineNo, reason, excerpt: t.slice(0, 200) });
    else this.sink.event(draft as unknown as FeedEvent, lineNo);
  }
}

export function createDropParser(config: DropParserOptions = {}): FeedParser {
  const identifier = config.identifier ?? 'spamhaus-drop';
  return { id: 'drop', open: (options, sink) => new DropSession(options, sink, identifier) };
}
