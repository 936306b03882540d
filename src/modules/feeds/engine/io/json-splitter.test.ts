import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter } from './json-splitter.js';
import { LineSplitter } from './line-splitter.js';

function split(chunks: readonly string[]): { values: [unknown, number][]; bad: number[] } {
  const out = { values: [] as [unknown, number][], bad: [] as number[] };
  const s = new JsonRecordSplitter({
    value: (v, line) => out.values.push([v, line]),
    malformed: (line) => out.bad.push(line),
  });
  for (const c of chunks) s.write(c);
  s.end();
  return out;
}

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

describe('JsonRecordSplitter', () => {
  it('splits a top-level array, with line numbers of each element', () => {
    const text = '[\n {"a": "x,]}"},\n {"b": [1, {"c": 2}]},\n 3, "s"\n]\n';
    expect(split([text])).toEqual({
      values: [
        [{ a: 'x,]}' }, 2],
        [{ b: [1, { c: 2 }] }, 3],
        [3, 4],
        ['s', 4],
      ],
      bad: [],
    });
  });

  it('reads JSON lines and reports the broken ones', () => {
    expect(split(['{"a":1}\n{"b":\n{"c":3}\n'])).toEqual({ values: [[{ a: 1 }, 1], [{ c: 3 }, 3]], bad: [2] });
  });

  it('resynchronises after a string broken by a line end inside an array', () => {
    const r = split(['[{"a":"ok"},\n{"b":"broken\n},{"c":1}]']);
    expect(r.values).toEqual([[{ a: 'ok' }, 1], [{ c: 1 }, 3]]);
    expect(r.bad).toContain(2);
  });

  it('gives the same result for any chunking (property)', () => {
    fc.assert(
      // Records are objects (a JSON-lines file starting with a bare array would read as one top-level array).
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), { maxLength: 8 }), fc.boolean(), fc.integer({ min: 1, max: 17 }), (values, asArray, size) => {
        const text = asArray ? JSON.stringify(values, null, 1) : values.map((v) => JSON.stringify(v)).join('\n');
        const whole = split([text]);
        expect(whole.bad).toEqual([]);
        expect(whole.values.map(([v]) => v)).toEqual(JSON.parse(JSON.stringify(values)));
        expect(split(chunksOf(text, size))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LineSplitter', () => {
  it('numbers lines, strips CR, skips blank lines and over-long lines', () => {
    const got: [string, number][] = [];
    const long: number[] = [];
    const s = new LineSplitter({ line: (t, n) => got.push([t, n]), tooLong: (n) => long.push(n) }, { maxLineChars: 10 });
    for (const c of ['\uFEFFab\r', '\n\ncd\n', 'x'.repeat(25), 'y\nlast']) s.write(c);
    s.end();
    expect(got).toEqual([
      ['ab', 1],
      ['cd', 3],
      ['last', 5],
    ]);
    expect(long).toEqual([4]);
  });
});
