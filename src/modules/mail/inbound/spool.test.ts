import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSpoolId, newSpoolId, openSpool, spoolIdTime, SpoolTooLarge, type Spool, type SpoolEnvelope } from './spool.js';

let dir: string;
let spool: Spool;
const envelope = (): SpoolEnvelope => ({ source: 'smtp', mailFrom: 'a@example.net', rcptTo: ['cert@example.org'], receivedAt: new Date().toISOString() });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-spool-'));
  spool = await openSpool(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spool', () => {
  it('stores byte-exact messages with their envelope, listed oldest first', async () => {
    const raw = Buffer.from([0x53, 0x3a, 0x20, 0xff, 0x00, 0x0a, 0x0d, 0x0a, 0x80]);
    const first = await spool.store(raw, { ...envelope(), receivedAt: '2026-01-01T00:00:00.000Z' });
    const second = await spool.store(Readable.from([Buffer.from('Subject: two\r\n'), Buffer.from('\r\nbody\r\n')]), envelope());
    expect(isSpoolId(first.id)).toBe(true);
    expect(spoolIdTime(first.id).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await spool.listPending()).toEqual([first.id, second.id]);
    const read = await spool.read(first.id);
    expect(read.raw.equals(raw)).toBe(true);
    expect(read).toMatchObject({ state: 'pending', envelope: { mailFrom: 'a@example.net', rcptTo: ['cert@example.org'] } });
    expect((await spool.readRaw(second.id)).toString()).toBe('Subject: two\r\n\r\nbody\r\n');
  });

  it('refuses a message over the limit, keeping nothing', async () => {
    await expect(spool.store(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), envelope(), { maxBytes: 1000 })).rejects.toBeInstanceOf(SpoolTooLarge);
    expect(await spool.listPending()).toEqual([]);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('moves messages through processed and quarantine (with a durable reason) and back', async () => {
    const a = (await spool.store(Buffer.from('a'), envelope())).id;
    const b = (await spool.store(Buffer.from('b'), envelope())).id;
    await spool.markProcessed(a);
    await spool.quarantine(b, { code: 'too-deep', detail: 'MIME nesting deeper than 24' });
    await spool.quarantine(b, { code: 'too-deep', detail: 'again' }); // idempotent
    expect(await spool.listPending()).toEqual([]);
    expect(await spool.listProcessed()).toEqual([a]);
    const [q] = await spool.listQuarantined();
    expect(q).toMatchObject({ id: b, reason: { code: 'too-deep', detail: 'MIME nesting deeper than 24' } });
    expect(q!.quarantinedAt).toBeInstanceOf(Date);
    expect((await spool.read(b)).state).toBe('quarantined');
    await spool.release(b);
    expect(await spool.listPending()).toEqual([b]);
    expect(await spool.listQuarantined()).toEqual([]);
    await expect(spool.markProcessed(newSpoolId())).rejects.toMatchObject({ code: 'mail.spool.not-found' });
    await expect(spool.read('../../etc/passwd')).rejects.toMatchObject({ code: 'mail.spool.not-found' });
  });

  it('purges processed messages older than a date', async () => {
    const old = (await spool.store(Buffer.from('old'), { ...envelope(), receivedAt: '2025-01-01T00:00:00.000Z' })).id;
    const recent = (await spool.store(Buffer.from('new'), envelope())).id;
    await spool.markProcessed(old);
    await spool.markProcessed(recent);
    expect(await spool.purgeProcessed(new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(await spool.listProcessed()).toEqual([recent]);
  });

  it('on open, removes temp files of dead processes but not of live ones', async () => {
    await writeFile(join(dir, 'tmp', `${newSpoolId()}.999999999.tmp`), 'half a message');
    await writeFile(join(dir, 'tmp', `${newSpoolId()}.${process.pid}.tmp`), 'being written by us');
    await openSpool(dir);
    const left = await readdir(join(dir, 'tmp'));
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(`.${process.pid}.`);
  });
});
