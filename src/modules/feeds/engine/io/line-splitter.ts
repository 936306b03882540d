/**
 * Streaming split of text into lines (LF or CRLF), with 1-based line numbers. Blank lines are not passed on.
 * A line longer than maxLineChars is reported and skipped without buffering it whole.
 */

import { TextScanner } from './text-scanner.js';

export interface LineHandler {
  line(text: string, lineNo: number): void;
  tooLong(lineNo: number, excerpt: string): void;
}

export class LineSplitter extends TextScanner {
  private lineNo = 1;
  /** Discarding the rest of an over-long line. */
  private skipping = false;
  private readonly maxLineChars: number;

  constructor(
    private readonly handler: LineHandler,
    options: { maxLineChars?: number } = {},
  ) {
    super();
    this.maxLineChars = options.maxLineChars ?? 1 << 20;
  }

  protected scan(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) {
        if (this.skipping) {
          pos = n;
          break;
        }
        if (n - pos > this.maxLineChars) {
          this.handler.tooLong(this.lineNo, s.slice(pos, pos + 200));
          this.skipping = true;
          pos = n;
          break;
        }
        if (!final) break;
        nl = n;
      }
      if (this.skipping) {
        this.skipping = false;
      } else if (nl - pos > this.maxLineChars) {
        this.handler.tooLong(this.lineNo, s.slice(pos, pos + 200));
      } else {
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === 13) end--;
        if (end > pos) this.handler.line(s.slice(pos, end), this.lineNo);
      }
      this.lineNo++;
      pos = nl + 1;
    }
    this.buf = pos >= n ? '' : s.slice(pos);
  }
}
