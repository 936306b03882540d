import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFound } from '../../../lib/errors.js';
import { DirSyncer, fsyncDir, writeFileDurable } from './durable-fs.js';

/**
 * The inbound mail spool: every message accepted by SMTP (or fetched by IMAP) is written here
 * durably BEFORE it is acknowledged, and stays until it has been processed or quarantined.
 *
 * Layout (Maildir-like; one file per message, a rename is the commit point of every state change):
 *
 *   <dir>/tmp/<id>.<pid>.tmp      being received; never acknowledged; removed at start-up
 *   <dir>/new/<id>.msg            accepted, waiting to be processed
 *   <dir>/done/<id>.msg           processed (purged after a retention period)
 *   <dir>/quarantine/<id>.msg     could not be processed; the reason is in <id>.reason.json beside it
 *
 * A .msg file is one line `TOCSIN-SPOOL 1 <envelope JSON>\n` followed by the raw message bytes
 * exactly as received. Ids sort by arrival time (`20261127T210650123Z-0a1b2c3d4e`).
 */

export type SpoolSource = 'smtp' | 'imap' | 'api';

export interface SpoolEnvelope {
  source: SpoolSource;
  /** SMTP MAIL FROM: '' for the null sender `<>` (bounces); null when unknown (IMAP). */
  mailFrom: string | null;
  /** SMTP RCPT TO addresses (empty when unknown). */
  rcptTo: string[];
  /** ISO time the message was accepted. */
  receivedAt: string;
  remoteAddress?: string;
  clientHostname?: string;
  helo?: string;
  /** Whether the SMTP session used TLS. */
  secure?: boolean;
  imap?: { host: string; mailbox: string; uid: number; uidValidity: string };
}

export type SpoolState = 'pending' | 'processed' | 'quarantined';

export interface QuarantineReason {
  /** Stable code, e.g. 'too-deep', 'pgp-no-key', 'unparseable'. */
  code: string;
  /** English diagnostic for operators; never message content. */
  detail: string;
}

export interface QuarantinedEntry {
  id: string;
  reason: QuarantineReason;
  quarantinedAt: Date | null;
}

export interface SpooledMessage {
  id: string;
  state: SpoolState;
  envelope: SpoolEnvelope;
  raw: Buffer;
}

export class SpoolTooLarge extends Error {
  readonly code = 'spool.too-large';
  constructor(readonly limit: number) {
    super(`message larger than ${limit} bytes`);
  }
}

const MAGIC = 'TOCSIN-SPOOL 1 ';
const ID_RE = /^\d{8}T\d{9}Z-[0-9a-f]{10}$/;
const STATE_DIRS: Record<SpoolState, string> = { pending: 'new', processed: 'done', quarantined: 'quarantine' };

export function newSpoolId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', ''); // 20261127T210650123Z
  return `${stamp}-${randomBytes(5).toString('hex')}`;
}

export function isSpoolId(id: string): boolean {
  return ID_RE.test(id);
}

/** Time the message was accepted, read from its id. */
export function spoolIdTime(id: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id);
  if (!m) throw new Error(`not a spool id: ${id}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!));
}

function assertId(id: string): void {
  if (!isSpoolId(id)) throw new NotFound('mail.spool.not-found', `no spooled message ${id}`);
}

export interface StoreOptions {
  /** Refuse (SpoolTooLarge, nothing kept) when the message is larger than this. */
  maxBytes?: number;
}

export interface SpoolEvents {
  stored: [id: string];
}

export class Spool extends EventEmitter<SpoolEvents> {
  private readonly syncers: Record<SpoolState, DirSyncer>;

  private constructor(readonly dir: string) {
    super();
    this.syncers = {
      pending: new DirSyncer(join(dir, 'new')),
      processed: new DirSyncer(join(dir, 'done')),
      quarantined: new DirSyncer(join(dir, 'quarantine')),
    };
  }

  /** Renames between state directories and makes it durable (group-committed directory fsyncs). */
  private async move(from: SpoolState, to: SpoolState, id: string): Promise<void> {
    await rename(this.path(from, id), this.path(to, id));
    await Promise.all([this.syncers[to].sync(), this.syncers[from].sync()]);
  }

  /** Opens (creating if needed) a spool directory and removes temp files left by dead processes. */
  static async open(dir: string): Promise<Spool> {
    for (const sub of ['tmp', 'new', 'done', 'quarantine']) await mkdir(join(dir, sub), { recursive: true, mode: 0o750 });
    const spool = new Spool(dir);
    await spool.removeStaleTemp();
    return spool;
  }

  private path(state: SpoolState, id: string): string {
    return join(this.dir, STATE_DIRS[state], `${id}.msg`);
  }

  private reasonPath(id: string): string {
    return join(this.dir, 'quarantine', `${id}.reason.json`);
  }

  private tempPath(id: string, suffix = 'tmp'): string {
    return join(this.dir, 'tmp', `${id}.${process.pid}.${suffix}`);
  }

  /**
   * Stores a message durably: written to tmp/, fsynced, renamed into new/, new/ fsynced. Only when
   * this resolves may the sender be told the message was accepted. Too large: SpoolTooLarge and
   * nothing is kept (the whole input is still consumed, so an SMTP session can answer).
   */
  async store(source: AsyncIterable<Buffer | Uint8Array> | Buffer, envelope: SpoolEnvelope, opts: StoreOptions = {}): Promise<{ id: string; size: number }> {
    const id = newSpoolId(new Date(envelope.receivedAt));
    const tmp = this.tempPath(id);
    const fh = await open(tmp, 'wx', 0o640);
    let size = 0;
    let oversized = false;
    let committed = false;
    try {
      await fh.write(MAGIC + JSON.stringify(envelope) + '\n');
      const chunks = Buffer.isBuffer(source) ? [source] : source;
      for await (const chunk of chunks) {
        size += chunk.length;
        if (opts.maxBytes !== undefined && size > opts.maxBytes) oversized = true;
        if (!oversized) await fh.write(chunk);
      }
      if (oversized) throw new SpoolTooLarge(opts.maxBytes!);
      await fh.sync();
      await fh.close();
      await rename(tmp, this.path('pending', id));
      committed = true;
      await this.syncers.pending.sync();
    } finally {
      if (!committed) {
        await fh.close().catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
      }
    }
    this.emit('stored', id);
    return { id, size };
  }

  /** Ids of messages waiting to be processed, oldest first. */
  async listPending(): Promise<string[]> {
    return this.listIds('pending');
  }

  async listProcessed(): Promise<string[]> {
    return this.listIds('processed');
  }

  private async listIds(state: SpoolState): Promise<string[]> {
    const names = await readdir(join(this.dir, STATE_DIRS[state]));
    return names
      .filter((n) => n.endsWith('.msg'))
      .map((n) => n.slice(0, -4))
      .filter(isSpoolId)
      .sort();
  }

  async listQuarantined(): Promise<QuarantinedEntry[]> {
    const ids = await this.listIds('quarantined');
    return Promise.all(
      ids.map(async (id) => {
        try {
          const parsed = JSON.parse(await readFile(this.reasonPath(id), 'utf8')) as QuarantineReason & { at?: string };
          return { id, reason: { code: parsed.code, detail: parsed.detail }, quarantinedAt: parsed.at ? new Date(parsed.at) : null };
        } catch {
          return { id, reason: { code: 'unknown', detail: 'the reason file is missing' }, quarantinedAt: null };
        }
      }),
    );
  }

  async stateOf(id: string): Promise<SpoolState | null> {
    assertId(id);
    for (const state of ['pending', 'quarantined', 'processed'] as const) {
      if (await exists(this.path(state, id))) return state;
    }
    return null;
  }

  /** Reads a message and its envelope, whatever its state. */
  async read(id: string): Promise<SpooledMessage> {
    const state = await this.stateOf(id);
    if (!state) throw new NotFound('mail.spool.not-found', `no spooled message ${id}`);
    const data = await readFile(this.path(state, id));
    const nl = data.indexOf(0x0a);
    const head = data.toString('utf8', 0, nl);
    if (nl < 0 || !head.startsWith(MAGIC)) throw new Error(`spool file ${id} is damaged`);
    return { id, state, envelope: JSON.parse(head.slice(MAGIC.length)) as SpoolEnvelope, raw: data.subarray(nl + 1) };
  }

  /** The envelope and the first `maxBytes` of the raw message (enough for its headers), and its size. */
  async readHead(id: string, maxBytes = 64 * 1024): Promise<{ state: SpoolState; envelope: SpoolEnvelope; head: Buffer; size: number }> {
    const state = await this.stateOf(id);
    if (!state) throw new NotFound('mail.spool.not-found', `no spooled message ${id}`);
    const fh = await open(this.path(state, id), 'r');
    try {
      const { size: fileSize } = await fh.stat();
      const buf = Buffer.alloc(Math.min(fileSize, maxBytes + 16 * 1024));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      const data = buf.subarray(0, bytesRead);
      const nl = data.indexOf(0x0a);
      const line = data.toString('utf8', 0, nl);
      if (nl < 0 || !line.startsWith(MAGIC)) throw new Error(`spool file ${id} is damaged`);
      return { state, envelope: JSON.parse(line.slice(MAGIC.length)) as SpoolEnvelope, head: data.subarray(nl + 1, nl + 1 + maxBytes), size: fileSize - nl - 1 };
    } finally {
      await fh.close();
    }
  }

  async readRaw(id: string): Promise<Buffer> {
    return (await this.read(id)).raw;
  }

  /** Marks a pending message processed. Idempotent: a second call (after a crash) is a no-op. */
  async markProcessed(id: string): Promise<void> {
    assertId(id);
    try {
      await this.move('pending', 'processed', id);
    } catch (err) {
      if (isEnoent(err) && (await exists(this.path('processed', id)))) return;
      if (isEnoent(err)) throw new NotFound('mail.spool.not-found', `no pending message ${id}`);
      throw err;
    }
  }

  /**
   * Moves a pending message to quarantine with a reason. The reason file is made durable first,
   * so a crash in between leaves the message pending (to be retried), never reasonless.
   */
  async quarantine(id: string, reason: QuarantineReason): Promise<void> {
    assertId(id);
    const body = JSON.stringify({ code: reason.code, detail: reason.detail, at: new Date().toISOString() });
    if (!(await exists(this.path('pending', id)))) {
      if (await exists(this.path('quarantined', id))) return;
      throw new NotFound('mail.spool.not-found', `no pending message ${id}`);
    }
    await writeFileDurable(this.tempPath(id, 'reason'), this.reasonPath(id), body);
    await this.move('pending', 'quarantined', id);
  }

  /** Puts a quarantined message back in the queue (e.g. after the missing key was imported). */
  async release(id: string): Promise<void> {
    assertId(id);
    try {
      await this.move('quarantined', 'pending', id);
    } catch (err) {
      if (isEnoent(err)) throw new NotFound('mail.spool.not-found', `no quarantined message ${id}`);
      throw err;
    }
    await unlink(this.reasonPath(id)).catch(() => undefined);
  }

  /** Deletes processed messages accepted before `before`. Returns how many were deleted. */
  async purgeProcessed(before: Date): Promise<number> {
    let n = 0;
    for (const id of await this.listIds('processed')) {
      if (spoolIdTime(id).getTime() >= before.getTime()) continue;
      await unlink(this.path('processed', id)).catch(() => undefined);
      n++;
    }
    if (n > 0) await fsyncDir(join(this.dir, 'done'));
    return n;
  }

  /** Temp files of processes that no longer run never got an acknowledgement: remove them. */
  private async removeStaleTemp(): Promise<void> {
    const tmpDir = join(this.dir, 'tmp');
    for (const name of await readdir(tmpDir)) {
      const pid = Number(name.split('.')[1]);
      if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) continue;
      await unlink(join(tmpDir, name)).catch(() => undefined);
    }
  }
}

export function openSpool(dir: string): Promise<Spool> {
  return Spool.open(dir);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isEnoent(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
