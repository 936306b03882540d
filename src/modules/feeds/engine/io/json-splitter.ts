/**
 * Streaming JSON records: either a top-level array (`[{...},{...}]`, possibly one huge line, as PhishTank
 * publishes it) or JSON lines (one value per line, as Shodan exports it). The format is detected from the
 * first non-blank character. Each record's text is cut out and JSON.parse'd on its own, so memory is bounded
 * by one record; a record that does not parse is reported with the line it starts on and the rest go on.
 */
import { LineSplitter } from './line-splitter.js';

export interface JsonRecordHandler {
  value(value: unknown, line: number): void;
  malformed(line: number, reason: string, excerpt: string): void;
}

type Mode = 'detect' | 'lines' | 'array';

export class JsonRecordSplitter {
  private mode: Mode = 'detect';
  private pending = '';
  private lines: LineSplitter | undefined;
  private array: JsonArraySplitter | undefined;

  constructor(
    private readonly handler: JsonRecordHandler,
    private readonly maxRecordChars = 1 << 22,
  ) {}

  write(text: string): void {
    if (this.mode === 'detect') {
      this.pending += text;
      const m = /\S/.exec(this.pending);
      if (m === null) return;
      const stripped = this.pending.charCodeAt(0) === 0xfeff ? this.pending.slice(1) : this.pending;
      this.pending = '';
      if (m[0] === '[') {
        this.mode = 'array';
        this.array = new JsonArraySplitter(this.handler, this.maxRecordChars);
        this.array.write(stripped);
      } else {
        this.mode = 'lines';
        this.lines = this.lineSplitter();
        this.lines.write(stripped);
      }
      return;
    }
    if (this.mode === 'array') this.array!.write(text);
    else this.lines!.write(text);
  }

  end(): void {
    if (this.mode === 'array') this.array!.end();
    else if (this.mode === 'lines') this.lines!.end();
  }

  private lineSplitter(): LineSplitter {
    const handler = this.handler;
    return new LineSplitter(
      {
        line(text, lineNo) {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (err) {
            handler.malformed(lineNo, `invalid JSON: ${(err as Error).message}`, text.slice(0, 200));
            return;
          }
          handler.value(value, lineNo);
        },
        tooLong(lineNo, excerpt) {
          handler.malformed(lineNo, 'line too long', excerpt);
        },
      },
      { maxLineChars: this.maxRecordChars },
    );
  }
}

const enum S {
  BeforeArray,
  BeforeElement,
  InElement,
  AfterElement,
  Done,
}

/** Splits the elements of one top-level JSON array. */
class JsonArraySplitter {
  private buf = '';
  private line = 1;
  private state = S.BeforeArray;
  // Element scan state, kept across chunks.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementLine = 1;
  /** Position in buf where scanning resumes (the element in progress starts at 0). */
  private resumeAt = 0;

  constructor(
    private readonly handler: JsonRecordHandler,
    private readonly maxRecordChars: number,
  ) {}

  write(text: string): void {
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    if (this.state === S.InElement) {
      this.handler.malformed(this.elementLine, 'unterminated JSON value at end of input', this.buf.slice(0, 200));
    } else if (this.state === S.BeforeArray || this.state === S.BeforeElement || this.state === S.AfterElement) {
      if (this.state !== S.BeforeArray) this.handler.malformed(this.line, 'JSON array not closed', '');
    }
    this.buf = '';
  }

  private emit(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.handler.malformed(this.elementLine, `invalid JSON: ${(err as Error).message}`, text.slice(0, 200));
      return;
    }
    this.handler.value(value, this.elementLine);
  }

  private scan(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let i = this.state === S.InElement ? this.resumeAt : 0;
    let start = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      switch (this.state) {
        case S.BeforeArray:
          if (c === 91) this.state = S.BeforeElement;
          else if (c === 10) this.line++;
          else if (!isSpace(c)) {
            this.handler.malformed(this.line, 'expected a JSON array', s.slice(i, i + 200));
            this.state = S.Done;
          }
          i++;
          break;
        case S.BeforeElement:
        case S.AfterElement:
          if (c === 10) this.line++;
          else if (c === 93) this.state = S.Done;
          else if (c === 44 && this.state === S.AfterElement) this.state = S.BeforeElement;
          else if (!isSpace(c)) {
            if (this.state === S.AfterElement) {
              this.handler.malformed(this.line, 'expected "," between array elements', s.slice(i, i + 200));
            }
            this.state = S.InElement;
            this.elementLine = this.line;
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
            start = i;
            continue;
          }
          i++;
          break;
        case S.InElement: {
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === 92) this.escaped = true;
            else if (c === 34) this.inString = false;
            else if (c === 10) {
              // A raw line break cannot be inside a JSON string: the element is broken. Resynchronise at the
              // next line, as if it began a new element.
              this.handler.malformed(this.elementLine, 'unterminated string in JSON value', s.slice(start, Math.min(i, start + 200)));
              this.line++;
              this.state = S.BeforeElement;
            }
            i++;
            break;
          }
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth++;
          else if (c === 125 || c === 93) {
            if (this.depth === 0) {
              // `]` closing the outer array right after a scalar element; a stray `}` is garbage. Either way the
              // character is consumed, so scanning always moves on.
              if (i > start) this.emit(s.slice(start, i));
              if (c === 93) this.state = S.Done;
              else {
                this.handler.malformed(this.line, 'unexpected "}"', s.slice(i, i + 200));
                this.state = S.AfterElement;
              }
              i++;
              break;
            }
            this.depth--;
            if (this.depth === 0) {
              this.emit(s.slice(start, i + 1));
              this.state = S.AfterElement;
            }
          } else if (c === 44 && this.depth === 0) {
            this.emit(s.slice(start, i));
            this.state = S.AfterElement;
            continue;
          } else if (c === 10) this.line++;
          i++;
          break;
        }
        case S.Done:
          if (c === 10) this.line++;
          else if (!isSpace(c)) {
            this.handler.malformed(this.line, 'text after the end of the JSON array', s.slice(i, i + 200));
            i = n;
            continue;
          }
          i++;
          break;
      }
    }
    if (this.state === S.InElement) {
      if (!final && i - start > this.maxRecordChars) {
        this.handler.malformed(this.elementLine, `JSON value longer than ${this.maxRecordChars} characters`, s.slice(start, start + 200));
        // Skip to the next line and resynchronise there.
        this.state = S.BeforeElement;
        this.buf = '';
        this.resumeAt = 0;
        return;
      }
      this.buf = s.slice(start);
      this.resumeAt = i - start;
    } else {
      this.buf = '';
      this.resumeAt = 0;
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}
