/**
 * A small, bounded, byte-exact MIME structure reader. It exists beside mailparser for three jobs
 * mailparser cannot do: find the exact bytes of a multipart/signed part (RFC 3156 verification),
 * splice a decrypted entity back in place of a multipart/encrypted one, and refuse message bombs
 * (deep nesting, too many parts, huge header blocks) before anything expensive runs.
 * It never decodes text; offsets index the original Buffer.
 */

export interface MimeLimits {
  /** Deepest nesting allowed (the root is depth 0). */
  maxDepth: number;
  /** Most MIME entities in the whole tree. */
  maxParts: number;
  /** Largest header block of one entity, in bytes. */
  maxHeaderBytes: number;
}

export const DEFAULT_MIME_LIMITS: MimeLimits = { maxDepth: 24, maxParts: 500, maxHeaderBytes: 256 * 1024 };

export type MimeLimitCode = 'too-deep' | 'too-many-parts' | 'header-too-large';

export class MimeLimitError extends Error {
  readonly code: MimeLimitCode;
  constructor(code: MimeLimitCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface MimeHeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value as latin1 (byte-preserving) text, trimmed. */
  value: string;
  /** Byte range of the whole field, continuation lines and line break included. */
  start: number;
  end: number;
}

export interface ContentType {
  /** Lower-case "type/subtype". */
  mediaType: string;
  type: string;
  subtype: string;
  /** Lower-case parameter names; values unquoted (latin1). */
  params: Record<string, string>;
}

export interface MimeEntity {
  /** Byte range of the entity (headers + body). */
  start: number;
  end: number;
  /** Where the body starts (after the blank line). */
  bodyStart: number;
  /** Where the header block ends (before the blank line). */
  headerEnd: number;
  headers: MimeHeaderField[];
  contentType: ContentType;
  depth: number;
  /** Sub-entities of a multipart, or the single entity of a message/rfc822. */
  children: MimeEntity[];
  /** Set for the entity carried inside a message/rfc822 part. */
  embedded: boolean;
}

const CR = 0x0d;
const LF = 0x0a;

interface Counter {
  parts: number;
}

export function parseMimeTree(buf: Buffer, limits: MimeLimits = DEFAULT_MIME_LIMITS): MimeEntity {
  return parseEntity(buf, 0, buf.length, 0, false, limits, { parts: 0 }, null);
}

function parseEntity(
  buf: Buffer,
  start: number,
  end: number,
  depth: number,
  embedded: boolean,
  limits: MimeLimits,
  counter: Counter,
  parentType: ContentType | null,
): MimeEntity {
  if (depth > limits.maxDepth) throw new MimeLimitError('too-deep', `MIME nesting deeper than ${limits.maxDepth}`);
  if (++counter.parts > limits.maxParts) throw new MimeLimitError('too-many-parts', `more than ${limits.maxParts} MIME parts`);
  const { headers, headerEnd, bodyStart } = readHeaders(buf, start, end, limits);
  const defaultType = parentType?.mediaType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const ct = parseContentType(headerValue(headers, 'content-type') ?? defaultType);
  const entity: MimeEntity = { start, end, bodyStart, headerEnd, headers, contentType: ct, depth, children: [], embedded };
  if (ct.type === 'multipart' && ct.params.boundary) {
    for (const [s, e] of splitMultipart(buf, bodyStart, end, ct.params.boundary, limits, counter)) {
      entity.children.push(parseEntity(buf, s, e, depth + 1, embedded, limits, counter, ct));
    }
  } else if (ct.mediaType === 'message/rfc822' || ct.mediaType === 'message/global') {
    const cte = (headerValue(headers, 'content-transfer-encoding') ?? '7bit').toLowerCase();
    if (cte === '7bit' || cte === '8bit' || cte === 'binary') {
      entity.children.push(parseEntity(buf, bodyStart, end, depth + 1, true, limits, counter, ct));
    }
  }
  return entity;
}

/** Reads only the top-level header block (e.g. to list a message that is otherwise refused). */
export function parseHeaderBlock(buf: Buffer, maxHeaderBytes = DEFAULT_MIME_LIMITS.maxHeaderBytes): MimeHeaderField[] {
  try {
    return readHeaders(buf, 0, buf.length, { ...DEFAULT_MIME_LIMITS, maxHeaderBytes }).headers;
  } catch {
    return readHeaders(buf, 0, Math.min(buf.length, maxHeaderBytes), { ...DEFAULT_MIME_LIMITS, maxHeaderBytes: Number.MAX_SAFE_INTEGER }).headers;
  }
}

function readHeaders(buf: Buffer, start: number, end: number, limits: MimeLimits) {
  // A body-only entity (no headers) starts with a blank line.
  if (buf[start] === LF || (buf[start] === CR && buf[start + 1] === LF)) {
    return { headers: [], headerEnd: start, bodyStart: start + (buf[start] === CR ? 2 : 1) };
  }
  let headerEnd = end;
  let bodyStart = end;
  let pos = start;
  while (pos < end) {
    const nl = buf.indexOf(LF, pos);
    if (nl < 0 || nl >= end) break;
    const next = nl + 1;
    if (next < end && buf[next] === LF) {
      headerEnd = next;
      bodyStart = next + 1;
      break;
    }
    if (next + 1 < end && buf[next] === CR && buf[next + 1] === LF) {
      headerEnd = next;
      bodyStart = next + 2;
      break;
    }
    pos = next;
    if (pos - start > limits.maxHeaderBytes) break;
  }
  if (headerEnd - start > limits.maxHeaderBytes) {
    throw new MimeLimitError('header-too-large', `a header block is larger than ${limits.maxHeaderBytes} bytes`);
  }
  const headers: MimeHeaderField[] = [];
  pos = start;
  while (pos < headerEnd) {
    let nl = buf.indexOf(LF, pos);
    if (nl < 0 || nl >= headerEnd) nl = headerEnd - 1;
    let lineEnd = nl + 1;
    // continuation lines start with whitespace
    while (lineEnd < headerEnd && (buf[lineEnd] === 0x20 || buf[lineEnd] === 0x09)) {
      const more = buf.indexOf(LF, lineEnd);
      lineEnd = more < 0 || more >= headerEnd ? headerEnd : more + 1;
    }
    const text = buf.toString('latin1', pos, lineEnd);
    const colon = text.indexOf(':');
    if (colon > 0 && /^[\x21-\x39\x3b-\x7e]+$/.test(text.slice(0, colon).trimEnd())) {
      headers.push({
        name: text.slice(0, colon).trim().toLowerCase(),
        value: text
          .slice(colon + 1)
          .replace(/\r?\n[ \t]/g, ' ')
          .trim(),
        start: pos,
        end: lineEnd,
      });
    } else if (headers.length === 0 && pos === start) {
      // Not a header at all: the entity is body only.
      return { headers: [], headerEnd: start, bodyStart: start };
    }
    pos = lineEnd;
  }
  return { headers, headerEnd, bodyStart };
}

/** Returns [start, end) byte ranges of the parts of a multipart body. */
function splitMultipart(buf: Buffer, bodyStart: number, end: number, boundary: string, limits: MimeLimits, counter: Counter): [number, number][] {
  const marker = Buffer.from('--' + boundary, 'latin1');
  const delimiters: { lineStart: number; lineEnd: number; close: boolean }[] = [];
  let pos = bodyStart;
  while (pos < end) {
    const idx = buf.indexOf(marker, pos);
    if (idx < 0 || idx + marker.length > end) break;
    if (idx !== bodyStart && buf[idx - 1] !== LF) {
      pos = idx + 1;
      continue;
    }
    let after = idx + marker.length;
    const close = buf[after] === 0x2d && buf[after + 1] === 0x2d && after + 1 < end;
    if (close) after += 2;
    let eol = after;
    while (eol < end && (buf[eol] === 0x20 || buf[eol] === 0x09)) eol++;
    if (eol < end && buf[eol] !== CR && buf[eol] !== LF) {
      pos = idx + 1; // a longer string that merely starts with the boundary
      continue;
    }
    if (eol < end && buf[eol] === CR) eol++;
    if (eol < end && buf[eol] === LF) eol++;
    delimiters.push({ lineStart: idx, lineEnd: eol, close });
    if (close) break;
    // fail fast on a width bomb, before parsing any of it
    if (counter.parts + delimiters.length > limits.maxParts + 1) {
      throw new MimeLimitError('too-many-parts', `more than ${limits.maxParts} MIME parts`);
    }
    pos = eol;
  }
  const ranges: [number, number][] = [];
  for (let i = 0; i < delimiters.length; i++) {
    const d = delimiters[i]!;
    if (d.close) break;
    const next = delimiters[i + 1];
    let partEnd = next ? next.lineStart : end;
    if (next) {
      // the line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
      if (partEnd > d.lineEnd && buf[partEnd - 1] === LF) partEnd--;
      if (partEnd > d.lineEnd && buf[partEnd - 1] === CR) partEnd--;
    }
    ranges.push([d.lineEnd, Math.max(d.lineEnd, partEnd)]);
  }
  return ranges;
}

export function headerValue(headers: readonly MimeHeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

/** Parses a Content-Type value; anything unreadable becomes text/plain. */
export function parseContentType(value: string): ContentType {
  const [head = '', ...rest] = splitParams(value);
  const m = /^\s*([a-z0-9!#$&^_.+-]+)\s*\/\s*([a-z0-9!#$&^_.+-]+)/i.exec(head);
  const type = m ? m[1]!.toLowerCase() : 'text';
  const subtype = m ? m[2]!.toLowerCase() : 'plain';
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"')) v = v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1');
    if (!(name in params)) params[name] = v;
  }
  return { mediaType: `${type}/${subtype}`, type, subtype, params };
}

/** Splits on ';' outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\' && i + 1 < value.length) {
      cur += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Decodes an entity's body according to its Content-Transfer-Encoding. */
export function decodeBody(buf: Buffer, entity: MimeEntity): Buffer {
  const body = buf.subarray(entity.bodyStart, entity.end);
  const cte = (headerValue(entity.headers, 'content-transfer-encoding') ?? '').toLowerCase().trim();
  if (cte === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

export function decodeQuotedPrintable(input: Buffer): Buffer {
  const out = Buffer.alloc(input.length);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== 0x3d) {
      out[o++] = c;
      continue;
    }
    // soft line break: "=" + optional whitespace + line break
    let j = i + 1;
    while (j < input.length && (input[j] === 0x20 || input[j] === 0x09)) j++;
    if (j < input.length && (input[j] === CR || input[j] === LF)) {
      i = input[j] === CR && input[j + 1] === LF ? j + 1 : j;
      continue;
    }
    const hex = input.toString('latin1', i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out[o++] = parseInt(hex, 16);
      i += 2;
    } else {
      out[o++] = c; // a lone '=' is kept, as lenient decoders do
    }
  }
  return out.subarray(0, o);
}

/** Converts lone LF (and lone CR) line breaks to CRLF: the canonical form signatures are made over. */
export function toCrlf(input: Buffer): Buffer {
  let needs = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if ((c === LF && input[i - 1] !== CR) || (c === CR && input[i + 1] !== LF)) {
      needs = true;
      break;
    }
  }
  if (!needs) return input;
  return Buffer.from(input.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}

/** Walks the tree depth-first (pre-order); stops descending where `enter` returns false. */
export function walkMime(entity: MimeEntity, visit: (e: MimeEntity) => boolean | void): void {
  const stack: MimeEntity[] = [entity];
  while (stack.length) {
    const e = stack.pop()!;
    if (visit(e) === false) continue;
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
  }
}

/**
 * Replaces `target` in `buf` with the entity `replacement` (headers + body). For the root entity
 * the message headers are kept, minus the Content-* fields the replacement brings along.
 */
export function spliceEntity(buf: Buffer, root: MimeEntity, target: MimeEntity, replacement: Buffer, dropOuter: readonly string[] = []): Buffer {
  if (target !== root) return Buffer.concat([buf.subarray(0, target.start), replacement, buf.subarray(target.end)]);
  const kept: Buffer[] = [];
  for (const h of root.headers) {
    if (h.name.startsWith('content-') || h.name === 'mime-version' || dropOuter.includes(h.name)) continue;
    let line = buf.subarray(h.start, h.end);
    if (line[line.length - 1] !== LF) line = Buffer.concat([line, Buffer.from('\r\n')]);
    kept.push(line);
  }
  return Buffer.concat([...kept, Buffer.from('MIME-Version: 1.0\r\n'), replacement]);
}
