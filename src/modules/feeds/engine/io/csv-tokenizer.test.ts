import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from './csv-tokenizer.js';

interface Parsed {
  records: { fields: string[]; line: number }[];
  malformed: { line: number; reason: string }[];
}

function tokenize(chunks: readonly string[], delimiter = ','): Parsed {
  const out: Parsed = { records: [], malformed: [] };
  const t = new CsvTokenizer(
    {
      record: (fields, count, line) => out.records.push({ fields: fields.slice(0, count), line }),
      malformed: (line, reason) => out.malformed.push({ line, reason }),
    },
    { delimiter },
  );
  for (const c of chunks) t.write(c);
  t.end();
  return out;
}

/** Cuts text at the given fractional positions. */
function cut(text: string, points: readonly number[]): string[] {
  const idx = [...new Set(points.map((p) => Math.floor(p * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const i of idx) {
    out.push(text.slice(from, i));
    from = i;
  }
  out.push(text.slice(from));
  return out;
}

function encode(field: string): string {
  return /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;
}

describe('CsvTokenizer', () => {
  it('handles RFC 4180 quoting, CRLF and LF, a BOM and a missing final newline', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""",\n"multi\nline",2,3\r\n\n4,"",6';
    const p = tokenize([text]);
    expect(p.malformed).toEqual([]);
    expect(p.records).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['x, y', 'say "hi"', ''], line: 2 },
      { fields: ['multi\nline', '2', '3'], line: 3 },
      { fields: ['4', '', '6'], line: 6 },
    ]);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(tokenize(['a,b"c,d\n']).records[0]!.fields).toEqual(['a', 'b"c', 'd']);
  });

  it('supports other delimiters', () => {
    expect(tokenize(['a;"b;c";d\n'], ';').records[0]!.fields).toEqual(['a', 'b;c', 'd']);
  });

  it('reports malformed records at their first line and resumes on the next line', () => {
    const p = tokenize(['a,b\n"bad"x,1\nc,d\n"open,1\ne,f\n']);
    expect(p.records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'a', 'b'],
      [3, 'c', 'd'],
      [5, 'e', 'f'],
    ]);
    expect(p.malformed).toEqual([
      { line: 2, reason: 'unexpected text after a closing quote' },
      { line: 4, reason: 'unterminated quoted field' },
    ]);
  });

  it('gives the same records however the input is cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '台'), maxLength: 6 });
    const record = fc.array(field, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (records, eol, points) => {
          // A record of one empty field would be a blank line (skipped): quote it so it stays a record.
          const text = records.map((r) => r.map(encode).join(',')).join(eol) + eol;
          const whole = tokenize([text]);
          expect(whole.malformed).toEqual([]);
          expect(whole.records.map((r) => r.fields)).toEqual(records);
          expect(tokenize(cut(text, points))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a malformed line swallow the good ones (property)', () => {
    const good = fc.array(fc.stringMatching(/^[a-z0-9 ]{1,5}$/), { minLength: 1, maxLength: 4 }).map((f) => ({ ok: true, text: f.join(',') }));
    const bad = fc.oneof(
      fc.stringMatching(/^[a-z]{1,4}$/).map((s) => ({ ok: false, text: `"${s}"${s},1` })),
      fc.stringMatching(/^[a-z]{1,4}$/).map((s) => ({ ok: false, text: `"${s},2` })),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad }), { minLength: 1, maxLength: 30 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }), (lines, points) => {
        const text = lines.map((l) => l.text).join('\n') + '\n';
        const p = tokenize(cut(text, points));
        const goodLines = lines.flatMap((l, i) => (l.ok ? [i + 1] : []));
        const badLines = lines.flatMap((l, i) => (l.ok ? [] : [i + 1]));
        expect(p.records.map((r) => r.line)).toEqual(goodLines);
        expect(p.malformed.map((m) => m.line)).toEqual(badLines);
      }),
      { numRuns: 300 },
    );
  });

  it('bounds the memory a runaway quote can take', () => {
    const out: number[] = [];
    const t = new CsvTokenizer({ record: (_f, _c, line) => out.push(line), malformed: (line) => out.push(-line) }, { maxRecordChars: 100 });
    t.write('"never closed,');
    for (let i = 0; i < 20; i++) t.write(`${'x'.repeat(20)}\n`);
    t.end();
    expect(out[0]).toBe(-1);
    // Line 1 is the quote and the first run of x; the 19 lines after it come through.
    expect(out.slice(1)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
  });
});
