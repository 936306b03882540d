/**
 * The mail corpus (nested multiparts, Chinese subjects in UTF-8/Big5/GB2312, wrong charsets, missing
 * headers, an attachment over the limit, nesting and width bombs, garbage) delivered over SMTP to the
 * running intake: every accepted message ends as a report or as a quarantine entry with a reason —
 * none is lost — and re-processing after a crash files nothing twice. SQLite and PostgreSQL.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/modules/auth/policy.js';
import { startMailIntake, type MailIntakeRunner } from '../src/modules/mail/intake-runner.js';
import { createRelayTransport, sendRaw, type RelayTransport } from '../src/modules/mail/index.js';
import { buildCorpus, ZH_CN, ZH_TW } from '../src/modules/mail/testing/corpus.js';
import { waitFor } from '../src/modules/mail/testing/smtp-sink.js';
import { as, buildTestApp, createUser, login, TestClock, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const TEAM = 'cert@cert.example.tw';
const SYSTEM: Actor = { kind: 'system', component: 'test' };
const MAX_ATTACHMENT = 200_000;

describe.each(testDialects())('mail corpus into reports (%s)', (dialect) => {
  let t: TestApp;
  let runner: MailIntakeRunner;
  let transport: RelayTransport;
  let admin: Session;
  const spoolIds = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp(dialect, {
      clock: new TestClock(Date.now()),
      env: { TOCSIN_SMTP_PORT: '0', TOCSIN_MAIL_ADDRESSES: TEAM, TOCSIN_PGP_PASSPHRASE: 'corpus test passphrase', TOCSIN_MAX_ATTACHMENT_BYTES: String(MAX_ATTACHMENT) },
    });
    await t.c.settings.update(SYSTEM, { email: TEAM });
    await t.c.mail.keys.generateTeam(SYSTEM, { name: 'CERT', email: TEAM });
    runner = await startMailIntake(t.c.mail, t.c.config, { sweepMs: 3_600_000 });
    transport = createRelayTransport({ host: '127.0.0.1', port: runner.smtp!.port });
    admin = await login(t, (await createUser(t, 'admin')).username);
    for (const [name, raw] of Object.entries(buildCorpus({ bigAttachmentBytes: MAX_ATTACHMENT + 100_000 }))) {
      const r = await sendRaw(transport, { from: 'sender@example.net', to: [TEAM] }, raw);
      spoolIds.set(name, /queued as (\S+)/.exec(r.response)![1]!);
    }
  });

  afterAll(async () => {
    transport?.close();
    await runner?.stop();
    await t?.close();
  });

  const filed = (spoolId: string) => t.c.db.selectFrom('mail_inbound').selectAll().where('spool_id', '=', spoolId).executeTakeFirst();
  const quarantine = async () => (await as(t, admin, { method: 'GET', url: '/api/v1/mail/quarantine' })).json<{ items: { id: string; code: string; subject: string | null }[] }>().items;
  const report = async (id: string) => (await as(t, admin, { method: 'GET', url: `/api/v1/reports/${id}` })).json<{ title: string | null; description: string; attachments: { filename: string }[] }>();

  it('files every accepted message as a report or a quarantine entry', async () => {
    const outcome = await waitFor(
      async () => {
        const q = await quarantine();
        const out = new Map<string, string>();
        for (const [name, id] of spoolIds) {
          const row = await filed(id);
          const entry = q.find((i) => i.id === id);
          if (row) out.set(name, 'report');
          else if (entry) out.set(name, `quarantine:${entry.code}`);
        }
        return out.size === spoolIds.size ? out : undefined;
      },
      20_000,
      'every corpus message filed',
    );
    expect(outcome.get('deepBomb')).toBe('quarantine:too-deep');
    expect(outcome.get('wideBomb')).toBe('quarantine:too-many-parts');
    for (const name of ['plainEnglish', 'nested', 'subjectUtf8', 'subjectBig5', 'subjectGb2312', 'big5DeclaredUtf8', 'missingHeaders', 'noHeaderBlock', 'minimalHeaders', 'bigAttachment', 'htmlOnly', 'brokenMultipart']) {
      expect(outcome.get(name), name).toBe('report');
    }
    expect(await t.c.mail.spool().then((s) => s.listPending())).toEqual([]);
  });

  it('keeps Chinese subjects, attachments within the limit and notes what was over it', async () => {
    const rowOf = async (name: string) => (await filed(spoolIds.get(name)!))!;
    expect((await report((await rowOf('subjectBig5')).report_id)).title).toBe(ZH_TW);
    expect((await report((await rowOf('subjectGb2312')).report_id)).title).toBe(ZH_CN);
    expect((await report((await rowOf('big5DeclaredUtf8')).report_id)).description).toContain(ZH_TW);
    const nested = await report((await rowOf('nested')).report_id);
    expect(nested.attachments.map((a) => a.filename)).toEqual(expect.arrayContaining(['evidence.pdf']));
    const big = await rowOf('bigAttachment');
    expect((await report(big.report_id)).attachments.map((a) => a.filename)).not.toContain('dump.bin');
    const thread = (await as(t, admin, { method: 'GET', url: `/api/v1/mail/reports/${big.report_id}` })).json<{ inbound: { warnings: string[] }[] }>();
    expect(thread.inbound[0]!.warnings.join('\n')).toMatch(/dump\.bin .* over the 200000-byte limit/);
  });

  it('files nothing twice when a processed message is handed over again (a crash before it was marked)', async () => {
    const spool = await t.c.mail.spool();
    const id = spoolIds.get('plainEnglish')!;
    const count = async () => Number((await t.c.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const outbox = async () => Number((await t.c.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const [reports, mails] = [await count(), await outbox()];
    await rename(join(spool.dir, 'done', `${id}.msg`), join(spool.dir, 'new', `${id}.msg`));
    const run = await t.c.mail.intake.processPending();
    expect(run.processed).toContain(id);
    expect(await count()).toBe(reports);
    expect(await outbox()).toBe(mails);
    expect(await spool.stateOf(id)).toBe('processed');
  });
});
