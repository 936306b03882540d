/**
 * A streaming RFC 4180 CSV tokenizer written for speed: text arrives in chunks of any size; each record is
 * handed to the handler as soon as it is complete, in a reused array (copy what you keep).
 *
 * - Quoted fields may contain delimiters, `""` and line breaks; CRLF and LF both end records.
 * - Physical lines that contain no quote at all take a fast path of indexOf/slice (no per-character loop).
 * - Malformed records (text after a closing quote, an unterminated quote, a record larger than
 *   maxRecordChars) are reported at the line where they start, and parsing resumes at the next physical line:
 *   one bad row never swallows the rest of the file.
 * - Blank lines are skipped (they still count for line numbers). A byte order mark is removed.
 * - Memory is bounded by the chunk size plus one record.
 */

import { TextScanner } from './text-scanner.js';

export interface CsvRecordHandler {
  /** `fields[0..count)` is the record; the array is reused for the next record. `line` is 1-based. */
  record(fields: string[], count: number, line: number): void;
  malformed(line: number, reason: string, excerpt: string): void;
}

export interface CsvTokenizerOptions {
  /** One character; default `,`. */
  delimiter?: string;
  /** A record (with its quoted line breaks) longer than this is rejected; default 1 MiB of text. */
  maxRecordChars?: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const INCOMPLETE = -1;
const MALFORMED = -2;

export class CsvTokenizer extends TextScanner {
  private line = 1;
  private readonly fields: string[] = [];
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly maxRecordChars: number;
  /** Set by parseQuoted when it returns MALFORMED. */
  private problem = '';

  constructor(
    private readonly handler: CsvRecordHandler,
    options: CsvTokenizerOptions = {},
  ) {
    super();
    this.delim = options.delimiter ?? ',';
    if (this.delim.length !== 1 || this.delim === '"' || this.delim === '\n' || this.delim === '\r') {
      throw new Error(`invalid CSV delimiter ${JSON.stringify(this.delim)}`);
    }
    this.delimCode = this.delim.charCodeAt(0);
    this.maxRecordChars = options.maxRecordChars ?? 1 << 20;
  }

  protected scan(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    const fields = this.fields;
    const delim = this.delim;
    let pos = 0;
    let line = this.line;
    let nextQuote = s.indexOf('"');
    if (nextQuote < 0) nextQuote = n;
    while (pos < n) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) break;
        nl = n;
      }
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = n;
      }
      if (nextQuote >= nl) {
        // Fast path: a physical line without quotes is a whole record.
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === CR) end--;
        if (end > pos) {
          let count = 0;
          let p = pos;
          for (;;) {
            const d = s.indexOf(delim, p);
            if (d < 0 || d >= end) {
              fields[count++] = s.slice(p, end);
              break;
            }
            fields[count++] = s.slice(p, d);
            p = d + 1;
          }
          this.handler.record(fields, count, line);
        }
        pos = nl + 1;
        line++;
        continue;
      }
      const next = this.parseQuoted(s, pos, nl, final, line);
      if (next === INCOMPLETE) {
        if (n - pos <= this.maxRecordChars) break;
        this.problem = `record longer than ${this.maxRecordChars} characters (unterminated quote?)`;
      }
      if (next < 0) {
        this.handler.malformed(line, this.problem, s.slice(pos, Math.min(nl, pos + 200)));
        pos = nl + 1;
        line++;
        continue;
      }
      if (next <= nl + 1) line++;
      else {
        // The record had line breaks inside quotes: count them.
        for (let k = s.indexOf('\n', pos); k >= 0 && k < next; k = s.indexOf('\n', k + 1)) line++;
        if (next === n && s.charCodeAt(n - 1) !== LF) line++;
      }
      pos = next;
    }
    this.line = line;
    this.buf = pos >= n ? '' : s.slice(pos);
  }

  /** Parses the record starting at `pos` (which has a quote somewhere); returns the index after it, or
   *  INCOMPLETE (needs more text) or MALFORMED. */
  private parseQuoted(s: string, pos: number, firstNl: number, final: boolean, line: number): number {
    const n = s.length;
    const fields = this.fields;
    const dc = this.delimCode;
    let count = 0;
    let p = pos;
    let nl = firstNl;
    for (;;) {
      if (s.charCodeAt(p) === QUOTE) {
        let value = '';
        let q = p + 1;
        for (;;) {
          const close = s.indexOf('"', q);
          if (close < 0) {
            if (!final) return INCOMPLETE;
            this.problem = 'unterminated quoted field';
            return MALFORMED;
          }
          if (close + 1 < n && s.charCodeAt(close + 1) === QUOTE) {
            value += s.slice(q, close + 1);
            q = close + 2;
            continue;
          }
          if (close + 1 === n && !final) return INCOMPLETE;
          value = value === '' ? s.slice(q, close) : value + s.slice(q, close);
          p = close + 1;
          break;
        }
        fields[count++] = value;
        if (p >= n) {
          this.handler.record(fields, count, line);
          return n;
        }
        const c = s.charCodeAt(p);
        if (c === dc) {
          p++;
          continue;
        }
        if (c === LF) {
          this.handler.record(fields, count, line);
          return p + 1;
        }
        if (c === CR) {
          if (p + 1 >= n) {
            if (!final) return INCOMPLETE;
            this.handler.record(fields, count, line);
            return n;
          }
          if (s.charCodeAt(p + 1) === LF) {
            this.handler.record(fields, count, line);
            return p + 2;
          }
        }
        this.problem = 'unexpected text after a closing quote';
        return MALFORMED;
      }
      // Unquoted field: runs to the next delimiter or line end; a quote inside it is literal.
      if (nl < p) {
        nl = s.indexOf('\n', p);
        if (nl < 0) {
          if (!final) return INCOMPLETE;
          nl = n;
        }
      }
      const d = s.indexOf(this.delim, p);
      if (d >= 0 && d < nl) {
        fields[count++] = s.slice(p, d);
        p = d + 1;
        continue;
      }
      const end = nl > p && s.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      fields[count++] = s.slice(p, end);
      this.handler.record(fields, count, line);
      return nl >= n ? n : nl + 1;
    }
  }
}
