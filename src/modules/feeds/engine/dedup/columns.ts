/**
 * Growable typed-array columns. An import keeps a few numbers per distinct event; holding them in typed
 * arrays instead of one object per event leaves the garbage collector almost nothing to trace or copy, which
 * with a million events is most of the cost (and memory) of keeping them.
 */
type Typed = Float64Array | Int32Array | Uint32Array;

export class Column<T extends Typed> {
  private data: T;
  length = 0;

  constructor(
    private readonly make: (n: number) => T,
    initial = 1024,
  ) {
    this.data = make(initial);
  }

  /** The live array (valid until the next push). */
  get array(): T {
    return this.data;
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** Makes room for `n` more values; returns the offset where they go. */
  reserve(n: number): number {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    const at = this.length;
    this.length += n;
    return at;
  }

  private grow(min: number): void {
    const next = this.make(Math.max(min, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

export const f64 = (initial?: number) => new Column((n) => new Float64Array(n), initial);
export const i32 = (initial?: number) => new Column((n) => new Int32Array(n), initial);
export const u32 = (initial?: number) => new Column((n) => new Uint32Array(n), initial);

/**
 * Many short texts kept as few big strings: pieces are collected and joined into one flat string per block
 * (a single copy, made by the engine), and each piece is addressed by its block, offset and length. No
 * object per piece survives, and no piece keeps alive the larger string it was cut from.
 */
export class TextArena {
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private pendingLength = 0;

  /** Appends text; returns its address (a number: block · 2^26 + offset; the length is kept by the caller). */
  append(text: string): number {
    if (this.pendingLength + text.length > BLOCK_CHARS && this.pending.length > 0) this.seal();
    const address = this.blocks.length * BLOCK_SPAN + this.pendingLength;
    this.pending.push(text);
    this.pendingLength += text.length;
    return address;
  }

  text(address: number, length: number): string {
    const block = Math.floor(address / BLOCK_SPAN);
    if (block === this.blocks.length) this.seal();
    const offset = address - block * BLOCK_SPAN;
    return this.blocks[block]!.slice(offset, offset + length);
  }

  private seal(): void {
    this.blocks.push(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** Block size in characters (a long piece gets a block of its own). */
const BLOCK_CHARS = 1 << 20;
/** Address space of one block: more than any block can hold. */
const BLOCK_SPAN = 2 ** 26;
