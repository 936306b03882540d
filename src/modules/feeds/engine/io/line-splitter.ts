/**
 * Streaming split of text into lines (LF or CRLF), with 1-based line numbers. Blank lines are not passed on.
 * A line longer than maxLineChars is reported and skipped without buffering it whole.
 */

export interface LineHandler {
  line(text: string, lineNo: number): void;
  tooLong(lineNo: number, excerpt: string): void;
}

export class LineSplitter {
  private buf = '';
  private lineNo = 1;
  private started = false;
  /** Discarding the rest of an over-long line. */
  private skipping = false;
  private readonly maxLineChars: number;

  constructor(
    private readonly handler: LineHandler,
    options: { maxLineChars?: number } = {},
  ) {
    this.maxLineChars = options.maxLineChars ?? 1 << 20;
  }

  write(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    this.buf = '';
  }

  private scan(final: boolean): void {
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
