import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { MailParser, type AttachmentStream, type Headers, type MessageText } from 'mailparser';

/**
 * Runs mailparser's streaming parser over a message, with attachments streamed (never more than
 * `maxAttachmentBytes` of one held in memory) and SHA-256 checksums.
 */
export interface AttachmentMeta {
  filename: string | null;
  contentType: string;
  contentId: string | null;
  inline: boolean;
}

/**
 * Where attachment content goes when not kept in memory (the blob store, later). Must consume the
 * stream; returns a reference to what it stored.
 */
export type AttachmentSink = (meta: AttachmentMeta, content: Readable) => Promise<string>;

export interface RawAttachment extends AttachmentMeta {
  size: number;
  sha256: string;
  /** Buffered content, or null when over the limit or given to the sink. */
  content: Buffer | null;
  omitted: 'too-large' | null;
  ref: string | null;
}

export interface MailparserOutput {
  headers: Headers;
  text: string | null;
  html: string | null;
  attachments: RawAttachment[];
  textConversionFailed: boolean;
}

export interface MailparserRunOptions {
  maxAttachmentBytes: number;
  maxParts: number;
  maxHeaderBytes: number;
  maxHtmlChars: number;
  sink?: AttachmentSink;
}

export function runMailparser(raw: Buffer, opts: MailparserRunOptions): Promise<MailparserOutput> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({
      checksumAlgo: false, // hashed here (SHA-256), also when streamed to a sink
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: opts.maxHtmlChars,
      maxChildNodes: opts.maxParts,
      maxHeadSize: opts.maxHeaderBytes,
    });
    let headers: Headers = new Map();
    let text: MessageText | null = null;
    const attachments: RawAttachment[] = [];
    const pending: Promise<void>[] = [];
    let failed = false;

    parser.on('headers', (h: Headers) => {
      headers = h;
    });
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        text = data;
        return;
      }
      pending.push(collectAttachment(data, opts).then((a) => void attachments.push(a)));
    });
    parser.on('error', (err: Error) => {
      failed = true;
      reject(err);
    });
    parser.on('end', () => {
      if (failed) return;
      Promise.all(pending).then(() => {
        const t = text as MessageText | null;
        resolve({
          headers,
          text: t?.text ?? null,
          html: t?.html ?? null,
          attachments,
          textConversionFailed: Boolean(t?.textConversionError),
        });
      }, reject);
    });
    parser.end(raw);
  });
}

async function collectAttachment(data: AttachmentStream, opts: MailparserRunOptions): Promise<RawAttachment> {
  const meta: AttachmentMeta = {
    filename: data.filename ?? null,
    contentType: data.contentType,
    contentId: data.cid ?? null,
    inline: data.contentDisposition === 'inline' || Boolean(data.related),
  };
  const hash = createHash('sha256');
  let size = 0;
  let content: Buffer | null = null;
  let omitted: 'too-large' | null = null;
  let ref: string | null = null;
  try {
    if (opts.sink) {
      const tap = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      data.content.pipe(tap);
      ref = await opts.sink(meta, tap);
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of data.content as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (size > opts.maxAttachmentBytes) {
          omitted = 'too-large';
          chunks.length = 0; // keep reading (the parser waits for it) but hold nothing
        } else chunks.push(chunk);
      }
      if (!omitted) content = Buffer.concat(chunks);
    }
  } finally {
    data.content.resume(); // drain whatever a sink left unread
    data.release?.();
  }
  await finished(data.content).catch(() => undefined);
  return { ...meta, size, sha256: hash.digest('hex'), content, omitted, ref };
}
