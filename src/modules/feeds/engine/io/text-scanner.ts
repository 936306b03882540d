/**
 * The streaming part the line splitter and the CSV tokenizer share: text arrives in chunks of any size, a
 * leading byte order mark is dropped, and what a scan leaves unfinished in `buf` waits for the next chunk
 * (or for `end`, which scans once more as the final piece).
 */
export abstract class TextScanner {
  /** Text not consumed yet: the scan sets it to its unfinished tail. */
  protected buf = '';
  private started = false;

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

  /** Consumes what `buf` holds of complete units; `final`: no more text will come. */
  protected abstract scan(final: boolean): void;
}
