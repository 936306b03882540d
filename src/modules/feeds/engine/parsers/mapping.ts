/**
 * Declarative mappings: "column X is source.ip, column Y is time.source in epoch seconds, every event is
 * phishing". One engine serves operator-written mappings for any CSV or JSON feed and the built-in parsers
 * (Shadowserver's report types are tables of this kind).
 *
 * A spec is compiled once per input; per record the work is a loop over precomputed column indexes and
 * converter functions.
 */
import type { EventField, JsonValue, RejectedRow } from '../event.js';
import { EVENT_FIELDS, isEventField } from '../event.js';
import { completeEvent } from '../harmonise.js';
import { taxonomyOfType } from '../taxonomy.js';
import type { EventDraft } from '../harmonise.js';
import { CONVERTERS, isConversion } from '../normalise/convert.js';
import { CONTROL_CHARS, isCanonicalHostName } from '../normalise/host.js';
import type { Conversion, Converted, Converter } from '../normalise/convert.js';
import { CsvTokenizer } from '../io/csv-tokenizer.js';
import { compileRecordBuilder } from './csv-record-builder.js';
import type { CompiledExtra, CompiledRule, RecordBuilder } from './csv-record-builder.js';
import { JsonRecordSplitter } from '../io/json-splitter.js';
import type { FeedEvent } from '../event.js';
import type { FeedParser, ParseSink, ResolvedParseOptions, TextSink } from './types.js';
import { FeedConfigError, FeedFormatError } from './types.js';

/** A CSV column name (or 0-based index when the file has no header), or a JSON key / dotted path. */
export type ColumnRef = string | number;

export interface FieldRule {
  /** Where the value comes from; with several, the first non-empty one. */
  from: ColumnRef | readonly ColumnRef[];
  /** Conversion; default: the kind of the target field (ip, port, time, url…). */
  convert?: Conversion;
  /** A row without a valid value here is rejected. */
  required?: boolean;
  /** Texts meaning "no value" for this field, e.g. ["0", "unknown"]. */
  empty?: readonly string[];
  /** For a URL column that holds only a path: the column with the host to put in front. */
  hostFrom?: ColumnRef;
  /** With hostFrom: the column holding the scheme ("http"/"https"); default http. */
  schemeFrom?: ColumnRef;
}

export interface ExtraRule {
  from: ColumnRef;
  /** Key inside `extra`; default: the column name. */
  name?: string;
  convert?: Conversion;
}

export type FieldRules = { [F in EventField]?: FieldRule | ColumnRef };
export type Constants = { [F in EventField]?: string | number };

/** Which unmapped columns go to `extra`: all of them, none, or a list. */
export type ExtraSpec = 'unmapped' | 'none' | readonly (string | ExtraRule)[];

interface MappingBase {
  fields: FieldRules;
  constants?: Constants;
  /** Values put in `extra` of every event. */
  extraConstants?: { [key: string]: string | number | boolean };
  /** Default: 'unmapped' for CSV, 'none' for JSON. */
  extra?: ExtraSpec;
}

export interface CsvMappingSpec extends MappingBase {
  format: 'csv';
  delimiter?: string;
  /** Default true: the first record names the columns. A list: the column names; the file has no header. */
  header?: true | readonly string[];
  /** Records whose first field starts with this are comments. */
  commentPrefix?: string;
}

export interface JsonMappingSpec extends MappingBase {
  /** A top-level array of objects, or one object per line (detected). */
  format: 'json';
}

export type MappingSpec = CsvMappingSpec | JsonMappingSpec;

/** Read access to the current record for refine hooks. */
export type RecordGetter = (column: string) => string | undefined;

/** Raw access to the current record: the CSV text, or the JSON value at a key or dotted path. */
export type RawGetter = (column: string) => unknown;

/** Code-level hook of built-in parsers: adjusts a draft after the table mapping; returns a reject reason. */
export type RefineHook = (draft: EventDraft, get: RecordGetter, raw: RawGetter) => string | undefined;

// ---------------------------------------------------------------------------------------------------------
// Spec validation (configuration errors are found before any row is read)

interface NormalRule {
  field: EventField;
  from: ColumnRef[];
  convert: Conversion;
  required: boolean;
  empty: readonly string[];
  hostFrom: ColumnRef | undefined;
  schemeFrom: ColumnRef | undefined;
}

function normaliseRules(spec: MappingSpec): NormalRule[] {
  const rules: NormalRule[] = [];
  for (const [field, value] of Object.entries(spec.fields)) {
    if (!isEventField(field)) throw new FeedConfigError(`mapping: unknown event field "${field}"`);
    if (value === undefined) continue;
    const rule: FieldRule = typeof value === 'object' ? value : { from: value };
    const from = (Array.isArray(rule.from) ? rule.from : [rule.from]) as ColumnRef[];
    if (from.length === 0) throw new FeedConfigError(`mapping: field "${field}" has no source column`);
    const convert = rule.convert ?? EVENT_FIELDS[field];
    if (!isConversion(convert)) throw new FeedConfigError(`mapping: unknown conversion "${String(convert)}" for ${field}`);
    rules.push({
      field,
      from,
      convert,
      required: rule.required === true,
      empty: rule.empty ?? [],
      hostFrom: rule.hostFrom,
      schemeFrom: rule.schemeFrom,
    });
  }
  return rules;
}

function normaliseConstants(spec: MappingSpec): EventDraft {
  const out: EventDraft = {};
  for (const [field, value] of Object.entries(spec.constants ?? {})) {
    if (!isEventField(field)) throw new FeedConfigError(`mapping: unknown constant field "${field}"`);
    if (value === undefined) continue;
    const converted = CONVERTERS[EVENT_FIELDS[field]](String(value));
    if (converted === undefined || converted === null) {
      throw new FeedConfigError(`mapping: invalid constant ${field} = ${JSON.stringify(value)}`);
    }
    out[field] = converted;
  }
  return out;
}

function normaliseExtras(spec: MappingSpec): ExtraRule[] | 'unmapped' | 'none' {
  const extra = spec.extra ?? (spec.format === 'csv' ? 'unmapped' : 'none');
  if (extra === 'unmapped' || extra === 'none') return extra;
  return extra.map((e) => {
    const rule = typeof e === 'string' ? { from: e } : e;
    if (rule.convert !== undefined && !isConversion(rule.convert)) {
      throw new FeedConfigError(`mapping: unknown conversion "${String(rule.convert)}" for extra ${String(rule.from)}`);
    }
    return rule;
  });
}

/** Checks a mapping spec; throws FeedConfigError with a clear message. */
export function validateMapping(spec: MappingSpec): void {
  if (spec.format !== 'csv' && spec.format !== 'json') {
    throw new FeedConfigError(`mapping: format must be "csv" or "json"`);
  }
  normaliseRules(spec);
  normaliseConstants(spec);
  normaliseExtras(spec);
  const hasType = spec.fields['classification.type'] !== undefined || spec.constants?.['classification.type'] !== undefined;
  if (!hasType) throw new FeedConfigError('mapping: classification.type must be mapped or constant');
}

// ---------------------------------------------------------------------------------------------------------
// Shared per-record logic

function excerptOf(fields: readonly string[], count: number): string {
  let s = '';
  for (let i = 0; i < count && s.length < 200; i++) s += (i === 0 ? '' : ',') + fields[i];
  return s.slice(0, 200);
}

/** The canonical URL for a path and a host when both are already clean (the common case: no re-parse), or
 *  undefined to go the long way (joinUrl, then the URL converter). */
function joinUrlFast(path: string, host: string, scheme: string | undefined): string | undefined {
  if (path.charCodeAt(0) !== 47 || path.charCodeAt(1) === 47 || path.indexOf(' ') >= 0) return undefined;
  if (CONTROL_CHARS.test(path) || !isCanonicalHostName(host)) return undefined;
  return `${scheme === 'https' ? 'https' : 'http'}://${host}${path}`;
}

function joinUrl(path: string, host: string, scheme: string | undefined): string {
  if (host === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  // Shadowserver sometimes writes the whole request line ("GET /x HTTP/1.1"): keep the path.
  let p = path;
  const slash = p.indexOf('/');
  if (slash > 0) p = p.slice(slash);
  const space = p.indexOf(' ');
  if (space >= 0) p = p.slice(0, space);
  if (p.charCodeAt(0) !== 47) p = `/${p}`;
  const sch = scheme === 'https' ? 'https' : 'http';
  return `${sch}://${host}${p}`;
}

/** The fields every event of an input starts with; each record's draft is a shallow clone of it. */
function draftTemplate(constants: EventDraft, options: ResolvedParseOptions): EventDraft {
  const draft: EventDraft = {
    'feed.name': options.feedName,
    'time.observation': options.observedAt,
    ...constants,
  };
  if (options.provider !== undefined && draft['feed.provider'] === undefined) draft['feed.provider'] = options.provider;
  const type = draft['classification.type'];
  if (typeof type === 'string' && draft['classification.taxonomy'] === undefined) {
    const taxonomy = taxonomyOfType(type);
    if (taxonomy !== undefined) draft['classification.taxonomy'] = taxonomy;
  }
  return draft;
}

// ---------------------------------------------------------------------------------------------------------
// CSV

/**
 * Per-column memory of the previous row's conversion. Many feed columns repeat the value of the row before
 * (country, city, tag, sector, port, report-wide timestamps): one string comparison then saves the conversion
 * and, as important, lets consecutive events share one string instead of each holding its own copy (or a
 * slice that pins the whole input chunk in memory). A hash map of recent values was tried and cost more
 * than it saved.
 */
class ColumnMemo {
  private lastRaw = '';
  private lastValue: Converted = undefined;

  get(raw: string, fn: Converter | null): Converted {
    if (raw === this.lastRaw) return this.lastValue;
    const v = fn === null ? raw : fn(raw);
    this.lastRaw = raw;
    this.lastValue = v;
    return v;
  }
}

type CsvRule = CompiledRule & { name: string };
type CsvExtra = CompiledExtra;

/** Keys that must never be written with computed names (prototype pollution). */
function isSafeKey(name: string): boolean {
  return name !== '__proto__';
}

class CsvMappedSession implements TextSink {
  private readonly tokenizer: CsvTokenizer;
  private header: string[] | undefined;
  private rules: CsvRule[] = [];
  private extras: CsvExtra[] = [];
  private columnIndex = new Map<string, number>();
  private current: readonly string[] = [];
  private readonly template: EventDraft;
  private readonly extraConstants: { [key: string]: JsonValue };
  private build: RecordBuilder = () => null;
  private readonly normalRules: NormalRule[];
  private readonly extraSpec: ExtraRule[] | 'unmapped' | 'none';
  private readonly getter: RecordGetter;

  constructor(
    private readonly spec: CsvMappingSpec,
    private readonly options: ResolvedParseOptions,
    private readonly sink: ParseSink,
    private readonly refine: RefineHook | undefined,
  ) {
    this.normalRules = normaliseRules(spec);
    this.template = draftTemplate(normaliseConstants(spec), options);
    this.extraConstants = { ...spec.extraConstants };
    this.extraSpec = normaliseExtras(spec);
    this.getter = (column) => {
      const i = this.columnIndex.get(column);
      if (i === undefined) return undefined;
      const v = this.current[i];
      return v === undefined || v === '' ? undefined : v;
    };
    this.tokenizer = new CsvTokenizer(
      {
        record: (fields, count, line) => this.record(fields, count, line),
        malformed: (line, reason, excerpt) => this.sink.reject({ line, reason, excerpt }),
      },
      { delimiter: spec.delimiter ?? ',' },
    );
    if (Array.isArray(spec.header)) this.setHeader([...(spec.header as readonly string[])], 0);
  }

  write(text: string): void {
    this.tokenizer.write(text);
  }

  end(): void {
    // An empty input (not even a header) is not an error: there is simply nothing to import.
    this.tokenizer.end();
  }

  private resolve(ref: ColumnRef): number {
    if (typeof ref === 'number') return ref < (this.header?.length ?? 0) ? ref : -1;
    const exact = this.columnIndex.get(ref);
    if (exact !== undefined) return exact;
    return this.columnIndex.get(ref.trim().toLowerCase()) ?? -1;
  }

  private setHeader(names: string[], line: number): void {
    this.header = names.map((n) => n.trim());
    this.columnIndex = new Map();
    this.header.forEach((name, i) => {
      if (!this.columnIndex.has(name)) this.columnIndex.set(name, i);
      const lower = name.toLowerCase();
      if (!this.columnIndex.has(lower)) this.columnIndex.set(lower, i);
    });
    const used = new Set<number>();
    const rules: CsvRule[] = [];
    for (const r of this.normalRules) {
      const cols = r.from.map((f) => this.resolve(f)).filter((i) => i >= 0);
      if (cols.length === 0) {
        if (r.required) {
          throw new FeedFormatError(
            `line ${line}: no column ${r.from.map((f) => JSON.stringify(f)).join(' or ')} for required field ${r.field}`,
          );
        }
        continue;
      }
      cols.forEach((c) => used.add(c));
      const hostCol = r.hostFrom === undefined ? -1 : this.resolve(r.hostFrom);
      const schemeCol = r.schemeFrom === undefined ? -1 : this.resolve(r.schemeFrom);
      if (hostCol >= 0) used.add(hostCol);
      rules.push({
        field: r.field,
        cols,
        fn: CONVERTERS[r.convert],
        required: r.required,
        empty: r.empty.length > 0 ? new Set(r.empty) : null,
        hostCol,
        schemeCol,
        name: this.header[cols[0]!]!,
        memo: hostCol >= 0 ? null : new ColumnMemo(),
      });
    }
    this.rules = rules;
    const extras: CsvExtra[] = [];
    if (this.extraSpec === 'unmapped') {
      this.header.forEach((name, col) => {
        if (!used.has(col) && name !== '' && isSafeKey(name)) extras.push({ col, name, fn: null, memo: new ColumnMemo() });
      });
    } else if (this.extraSpec !== 'none') {
      for (const e of this.extraSpec) {
        const col = this.resolve(e.from);
        if (col < 0 || !isSafeKey(e.name ?? this.header[col]!)) continue;
        extras.push({
          col,
          name: e.name ?? this.header[col]!,
          fn: e.convert === undefined ? null : CONVERTERS[e.convert],
          memo: new ColumnMemo(),
        });
      }
    }
    this.extras = extras;
    this.build = compileRecordBuilder(rules, extras, this.template, this.extraConstants, joinUrl, joinUrlFast);
  }

  private record(fields: string[], count: number, line: number): void {
    const prefix = this.spec.commentPrefix;
    if (prefix !== undefined && fields[0]!.startsWith(prefix)) return;
    const header = this.header;
    if (header === undefined) {
      this.setHeader(fields.slice(0, count), line);
      return;
    }
    if (count !== header.length) {
      // Tolerate trailing empty columns (a trailing delimiter), nothing else.
      let ok = count > header.length;
      for (let i = header.length; ok && i < count; i++) if (fields[i] !== '') ok = false;
      if (!ok) {
        this.sink.reject({ line, reason: `expected ${header.length} columns, found ${count}`, excerpt: excerptOf(fields, count) });
        return;
      }
    }
    const draft = this.build(fields) ?? this.interpret(fields, count, line);
    if (draft === undefined) return;
    if (this.refine !== undefined) {
      this.current = fields;
      const why = this.refine(draft, this.getter, this.getter);
      if (why !== undefined) return this.reject(line, why, fields, count);
    }
    const reason = completeEvent(draft);
    if (reason !== undefined) return this.reject(line, reason, fields, count);
    this.sink.event(draft as unknown as FeedEvent, line);
  }

  /** The reference path for one record: used when the compiled builder declines (irregular rows). Returns
   *  the draft, or undefined after reporting the rejection. */
  private interpret(fields: string[], count: number, line: number): EventDraft | undefined {
    const draft: EventDraft = { ...this.template };
    let extra: { [key: string]: JsonValue } | undefined;
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      let raw = '';
      let col = rule.cols[0]!;
      for (let k = 0; k < rule.cols.length; k++) {
        col = rule.cols[k]!;
        raw = fields[col]!;
        if (raw !== '' && (rule.empty === null || !rule.empty.has(raw))) break;
        raw = '';
      }
      if (raw === '') {
        if (rule.required) {
          this.reject(line, `missing ${rule.field} (column ${rule.name})`, fields, count);
          return undefined;
        }
        continue;
      }
      if (rule.hostCol >= 0) {
        raw = joinUrl(raw, fields[rule.hostCol]!, rule.schemeCol >= 0 ? fields[rule.schemeCol] : undefined);
      }
      const v = rule.memo === null ? rule.fn(raw) : rule.memo.get(raw, rule.fn);
      if (v === undefined) {
        if (rule.required) {
          this.reject(line, `invalid ${rule.field} ${JSON.stringify(raw.slice(0, 100))}`, fields, count);
          return undefined;
        }
        // Keep what we could not interpret rather than lose it.
        const name = this.header![col]!;
        if (isSafeKey(name)) (extra ??= {})[name] = raw;
        continue;
      }
      if (v !== null) draft[rule.field] = v;
    }
    const extras = this.extras;
    for (let e = 0; e < extras.length; e++) {
      const x = extras[e]!;
      const raw = fields[x.col];
      if (raw === undefined || raw === '') continue;
      if (extra?.[x.name] !== undefined) continue; // several columns, one name: the first value wins
      const v = x.memo.get(raw, x.fn);
      if (v !== undefined && v !== null) (extra ??= {})[x.name] = v;
    }
    for (const [k, v] of Object.entries(this.extraConstants)) (extra ??= {})[k] = v;
    if (extra !== undefined) draft.extra = extra;
    return draft;
  }

  private reject(line: number, reason: string, fields: readonly string[], count: number): void {
    const row: RejectedRow = { line, reason, excerpt: excerptOf(fields, count) };
    this.sink.reject(row);
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON

interface JsonRule {
  field: EventField;
  paths: string[];
  fn: Converter;
  required: boolean;
  empty: ReadonlySet<string> | null;
  hostPath: string | undefined;
  schemePath: string | undefined;
}

/** A key as given (flat IntelMQ names like "source.ip" are keys), else a dotted path into nested objects. */
export function lookupPath(obj: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, path)) return obj[path];
  if (path.indexOf('.') < 0) return undefined;
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

/** The text form of a JSON value for a typed field: scalars as text, an array by its first scalar. */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length > 0) return scalarText(v[0]);
  return '';
}

function toJson(v: unknown): JsonValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'object') return v as JsonValue;
  return undefined;
}

class JsonMappedSession implements TextSink {
  private readonly splitter: JsonRecordSplitter;
  private readonly rules: JsonRule[];
  private readonly template: EventDraft;
  private readonly extraConstants: { [key: string]: JsonValue };
  private readonly extraSpec: ExtraRule[] | 'unmapped' | 'none';
  private readonly usedTopKeys: Set<string>;

  constructor(
    spec: JsonMappingSpec,
    private readonly options: ResolvedParseOptions,
    private readonly sink: ParseSink,
    private readonly refine: RefineHook | undefined,
  ) {
    this.template = draftTemplate(normaliseConstants(spec), options);
    this.extraConstants = { ...spec.extraConstants };
    this.extraSpec = normaliseExtras(spec);
    this.usedTopKeys = new Set();
    this.rules = normaliseRules(spec).map((r) => {
      const paths = r.from.map(String);
      for (const p of paths) this.usedTopKeys.add(p.split('.')[0]!).add(p);
      return {
        field: r.field,
        paths,
        fn: CONVERTERS[r.convert],
        required: r.required,
        empty: r.empty.length > 0 ? new Set(r.empty) : null,
        hostPath: r.hostFrom === undefined ? undefined : String(r.hostFrom),
        schemePath: r.schemeFrom === undefined ? undefined : String(r.schemeFrom),
      };
    });
    this.splitter = new JsonRecordSplitter({
      value: (value, line) => this.record(value, line),
      malformed: (line, reason, excerpt) => this.sink.reject({ line, reason, excerpt }),
    });
  }

  write(text: string): void {
    this.splitter.write(text);
  }

  end(): void {
    this.splitter.end();
  }

  private record(value: unknown, line: number): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.sink.reject({ line, reason: 'expected a JSON object', excerpt: JSON.stringify(value)?.slice(0, 200) ?? '' });
      return;
    }
    const obj = value as Record<string, unknown>;
    const draft: EventDraft = { ...this.template };
    let extra: { [key: string]: JsonValue } | undefined;
    for (const rule of this.rules) {
      let raw = '';
      let path = rule.paths[0]!;
      for (const p of rule.paths) {
        path = p;
        raw = scalarText(lookupPath(obj, p)).trim();
        if (raw !== '' && (rule.empty === null || !rule.empty.has(raw))) break;
        raw = '';
      }
      if (raw === '') {
        if (rule.required) return this.reject(line, `missing ${rule.field} (${rule.paths.join(' or ')})`, obj);
        continue;
      }
      if (rule.hostPath !== undefined) {
        const scheme = rule.schemePath === undefined ? undefined : scalarText(lookupPath(obj, rule.schemePath));
        raw = joinUrl(raw, scalarText(lookupPath(obj, rule.hostPath)), scheme);
      }
      const v = rule.fn(raw);
      if (v === undefined) {
        if (rule.required) return this.reject(line, `invalid ${rule.field} ${JSON.stringify(raw.slice(0, 100))}`, obj);
        if (isSafeKey(path)) (extra ??= {})[path] = raw;
        continue;
      }
      if (v !== null) draft[rule.field] = v;
    }
    if (this.extraSpec === 'unmapped') {
      for (const [k, v] of Object.entries(obj)) {
        if (this.usedTopKeys.has(k) || v === null || v === '' || !isSafeKey(k)) continue;
        const j = toJson(v);
        if (j !== undefined) (extra ??= {})[k] = j;
      }
    } else if (this.extraSpec !== 'none') {
      for (const e of this.extraSpec) {
        const v = lookupPath(obj, String(e.from));
        if (v === undefined || v === null || v === '') continue;
        const name = e.name ?? String(e.from);
        if (!isSafeKey(name) || extra?.[name] !== undefined) continue;
        if (e.convert === undefined) {
          const j = toJson(v);
          if (j !== undefined) (extra ??= {})[name] = j;
        } else {
          const c = CONVERTERS[e.convert](scalarText(v));
          if (c !== undefined && c !== null) (extra ??= {})[name] = c;
        }
      }
    }
    for (const [k, v] of Object.entries(this.extraConstants)) (extra ??= {})[k] = v;
    if (extra !== undefined) draft.extra = extra;
    if (this.refine !== undefined) {
      const why = this.refine(
        draft,
        (column) => {
          const t = scalarText(lookupPath(obj, column));
          return t === '' ? undefined : t;
        },
        (column) => lookupPath(obj, column),
      );
      if (why !== undefined) return this.reject(line, why, obj);
    }
    const reason = completeEvent(draft);
    if (reason !== undefined) return this.reject(line, reason, obj);
    this.sink.event(draft as unknown as FeedEvent, line);
  }

  private reject(line: number, reason: string, obj: unknown): void {
    this.sink.reject({ line, reason, excerpt: JSON.stringify(obj).slice(0, 200) });
  }
}

// ---------------------------------------------------------------------------------------------------------

/** Opens a session that parses text with a mapping spec. Built-in parsers pass a refine hook. */
export function openMapped(
  spec: MappingSpec,
  options: ResolvedParseOptions,
  sink: ParseSink,
  refine?: RefineHook,
): TextSink {
  return spec.format === 'csv'
    ? new CsvMappedSession(spec, options, sink, refine)
    : new JsonMappedSession(spec, options, sink, refine);
}

/** A parser for any CSV or JSON feed described by a mapping spec (validated here, once). */
export function createMappedParser(spec: MappingSpec, id = 'mapping'): FeedParser {
  validateMapping(spec);
  return { id, open: (options, sink) => openMapped(spec, options, sink) };
}
