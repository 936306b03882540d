import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCorpus } from '../testing/corpus.js';
import { processPending } from './processor.js';
import { openSpool, type Spool } from './spool.js';

let dir: string;
let spool: Spool;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-proc-'));
  spool = await openSpool(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const envelope = () => ({ source: 'smtp' as const, mailFrom: 'r@example.net', rcptTo: ['cert@example.org'], receivedAt: new Date().toISOString() });

describe('processPending', () => {
  it('hands parsed messages over, quarantines bombs, and keeps failures pending for the next run', async () => {
    const corpus = buildCorpus({ bigAttachmentBytes: 1000 });
    const plain = (await spool.store(corpus.plainEnglish!, envelope())).id;
    const bomb = (await spool.store(corpus.deepBomb!, envelope())).id;
    const flaky = (await spool.store(corpus.subjectBig5!, envelope())).id;
    const seen: string[] = [];
    const quarantined: string[] = [];
    let databaseUp = false;
    const opts = {
      spool,
      parse: {},
      onParsed: async ({ spoolId, message }: { spoolId: string; message: { subject: string } }) => {
        if (spoolId === flaky && !databaseUp) throw new Error('database unavailable');
        seen.push(`${spoolId}:${message.subject}`);
      },
      onQuarantined: ({ code }: { code: string }) => void quarantined.push(code),
    };
    const first = await processPending(opts);
    expect(first.processed).toEqual([plain]);
    expect(first.quarantined).toEqual([bomb]);
    expect(first.failed).toEqual([flaky]);
    expect(quarantined).toEqual(['too-deep']);
    expect(await spool.listPending()).toEqual([flaky]);

    databaseUp = true;
    const second = await processPending(opts);
    expect(second).toEqual({ processed: [flaky], quarantined: [], failed: [] });
    expect(seen).toEqual([`${plain}:Phishing site imitating our bank`, `${flaky}:網路攻擊通報：釣魚網站`]);
    expect(await spool.listPending()).toEqual([]);
    expect((await spool.listQuarantined()).map((q) => [q.id, q.reason.code])).toEqual([[bomb, 'too-deep']]);
  });
});
