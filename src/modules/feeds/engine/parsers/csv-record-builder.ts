/**
 * The fast path of CSV mappings: once the header is known, a mapping is compiled into one JavaScript
 * function that turns a record into an event draft.
 *
 * Why generate code: the interpretive loop (mapping.ts) writes properties under computed names, which V8
 * can only do through its slowest, megamorphic paths, and builds every event through a chain of shape
 * transitions. The generated function instead creates each event as one object literal with every field
 * it can produce, in a fixed order — one hidden class for the whole import, in-object storage, and
 * monomorphic property access later in matching and deduplication. Fields without a value hold
 * `undefined` (JSON serialisation drops them; test for `=== undefined`, not `in`).
 *
 * Safety: nothing from the input or the mapping is pasted into the code as code. Field names are from the
 * fixed event vocabulary; extra names (CSV header text) appear only as JSON.stringify'd string literals;
 * `__proto__` is never used as a key (mapping.ts drops such columns); values reach the function only
 * through the arrays passed to it.
 *
 * The function handles regular rows only: on anything irregular (a required value missing or invalid, an
 * optional value invalid) it returns null and the caller runs the interpretive path, which produces the
 * detailed rejection or keeps the unparseable text in `extra`.
 */
import type { EventField, JsonValue } from '../event.js';
import type { EventDraft } from '../harmonise.js';
import type { Converted, Converter } from '../normalise/convert.js';

/** Memo shared with mapping.ts: raw text → converted value, for repetitive columns. */
export interface Memo {
  get(raw: string, fn: Converter | null): Converted;
}

export interface CompiledRule {
  field: EventField;
  cols: readonly number[];
  fn: Converter;
  required: boolean;
  empty: ReadonlySet<string> | null;
  hostCol: number;
  schemeCol: number;
  memo: Memo | null;
}

export interface CompiledExtra {
  col: number;
  name: string;
  fn: Converter | null;
  memo: Memo;
}

export type JoinUrl = (path: string, host: string, scheme: string | undefined) => string;

export type RecordBuilder = (fields: readonly string[]) => EventDraft | null;

/** Fields completeEvent or refine hooks may set after the mapping: they get a slot in the shape too. */
const DERIVED: readonly EventField[] = ['classification.taxonomy', 'classification.identifier', 'source.ip', 'source.fqdn'];

export function compileRecordBuilder(
  rules: readonly CompiledRule[],
  extras: readonly CompiledExtra[],
  template: EventDraft,
  extraConstants: Readonly<Record<string, JsonValue>>,
  joinUrl: JoinUrl,
  joinUrlFast: (path: string, host: string, scheme: string | undefined) => string | undefined,
): RecordBuilder {
  const lit = (s: string): string => JSON.stringify(s);
  const T: JsonValue[] = [];
  const shape: string[] = [];
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(template)) {
    if (v === undefined || k === 'extra') continue;
    keys.add(k);
    shape.push(`${lit(k)}: T[${T.length}]`);
    T.push(v);
  }
  for (const k of [...rules.map((r) => r.field), ...DERIVED]) {
    if (keys.has(k)) continue;
    keys.add(k);
    shape.push(`${lit(k)}: undefined`);
  }
  shape.push('extra: undefined');

  const C = rules.map((r) => r.fn);
  const M = rules.map((r) => r.memo);
  const E = rules.map((r) => r.empty);
  const body: string[] = ['let x, v;', `const d = { ${shape.join(', ')} };`];
  rules.forEach((r, i) => {
    const pick = r.cols.map((c, k) => {
      const read = `x = f[${c}];${r.empty === null ? '' : ` if (E[${i}].has(x)) x = "";`}`;
      return k === 0 ? read : `if (x === "") { ${read} }`;
    });
    body.push(...pick);
    let convert = r.memo === null ? `C[${i}](x)` : `M[${i}].get(x, C[${i}])`;
    if (r.hostCol >= 0) {
      // A path joined with a host column: the clean case yields a canonical URL without re-parsing it.
      const args = `x, f[${r.hostCol}], ${r.schemeCol < 0 ? 'undefined' : `f[${r.schemeCol}]`}`;
      convert = `(v = JF(${args})) !== undefined ? v : C[${i}](J(${args}))`;
    }
    body.push(
      `if (x !== "") { v = ${convert}; if (v === undefined) return null; if (v !== null) d[${lit(r.field)}] = v; }` +
        (r.required ? ' else return null;' : ''),
    );
  });

  // Extras: one literal; columns sharing a name give the first non-empty value; constants win.
  const XC: (Converter | null)[] = [];
  const XM: Memo[] = [];
  const XK: JsonValue[] = [];
  const byName = new Map<string, CompiledExtra[]>();
  for (const x of extras) {
    if (Object.prototype.hasOwnProperty.call(extraConstants, x.name)) continue;
    const list = byName.get(x.name);
    if (list === undefined) byName.set(x.name, [x]);
    else list.push(x);
  }
  const extraProps: string[] = [];
  for (const [name, list] of byName) {
    let expr = 'undefined';
    for (let k = list.length - 1; k >= 0; k--) {
      const x = list[k]!;
      const j = XC.length;
      XC.push(x.fn);
      XM.push(x.memo);
      // Raw text needs no conversion (and, since events are not kept, no sharing): take the field as it is.
      const value = x.fn === null ? 'x' : `((v = XM[${j}].get(x, XC[${j}])) === null ? undefined : v)`;
      expr = `((x = f[${x.col}]) !== "" && x !== undefined ? ${value} : ${expr})`;
    }
    extraProps.push(`${lit(name)}: ${expr}`);
  }
  for (const [name, value] of Object.entries(extraConstants)) {
    extraProps.push(`${lit(name)}: XK[${XK.length}]`);
    XK.push(value);
  }
  if (extraProps.length > 0) body.push(`d.extra = { ${extraProps.join(', ')} };`);
  body.push('return d;');

  const factory = new Function('T', 'C', 'M', 'E', 'J', 'JF', 'XC', 'XM', 'XK', `"use strict"; return function build(f) { ${body.join('\n')} };`) as (
    ...args: unknown[]
  ) => RecordBuilder;
  return factory(T, C, M, E, joinUrl, joinUrlFast, XC, XM, XK);
}
