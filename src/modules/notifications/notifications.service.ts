import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Row } from '../../db/database.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { HOUR_MS, type Clock } from '../../lib/time.js';
import { defineJob, exponentialBackoff, type Queue } from '../../jobs/queue.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, can, listScope, type Actor } from '../auth/policy.js';
import type { FeedsConfig } from '../feeds/feeds.config.js';
import type { NoticeDraft } from '../feeds/engine/index.js';
import { SECTORS, TLP_VALUES } from '../incidents/taxonomy.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import type { QueueMailInput } from '../mail/outbox.service.js';
import { renderNotice, type Language } from './notices.render.js';

export const NOTICE_STATES = ['queued', 'sent', 'delivered', 'bounced', 'acknowledged', 'resolved', 'escalated'] as const;
/** States in which a notice still waits for the owner (it can be acknowledged, resolved or escalated). */
const OPEN = ['queued', 'sent', 'delivered'];

export interface NoticeView {
  id: string;
  constituentId: string;
  contactId: string | null;
  partnerId: string | null;
  recipient: string;
  feedSourceId: string;
  importId: string;
  topic: string;
  types: string[];
  eventCount: number;
  language: string;
  notifyMode: string;
  subject: string;
  csv: string;
  state: string;
  incidentId: string | null;
  sendAfter: string;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  escalatedAt: string | null;
  acknowledgedVia: string | null;
  note: string | null;
}

/** One notice with its text, the hosts it names and its mail, for the console. */
export interface NoticeDetail extends NoticeView {
  constituentName: string | null;
  feedName: string | null;
  body: string;
  acknowledgedBy: string | null;
  hostCount: number;
  /** The first hosts (all of them up to HOSTS_SHOWN); the CSV has every one. */
  hosts: string[];
  mail: { id: string; state: string; messageId: string; encrypted: boolean | null; attempts: number; lastError: string | null; sentAt: string | null } | null;
}

const HOSTS_SHOWN = 1000;

const toView = (r: Row<'notices'>): NoticeView => ({
  id: r.id,
  constituentId: r.constituent_id,
  contactId: r.contact_id,
  partnerId: r.partner_id,
  recipient: r.recipient,
  feedSourceId: r.feed_source_id,
  importId: r.import_id,
  topic: r.topic,
  types: JSON.parse(r.types) as string[],
  eventCount: Number(r.event_count),
  language: r.language,
  notifyMode: r.notify_mode,
  subject: r.subject,
  csv: r.csv,
  state: r.state,
  incidentId: r.incident_id,
  sendAfter: r.send_after,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
  escalatedAt: r.escalated_at,
  acknowledgedVia: r.acknowledged_via,
  note: r.note,
});

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const tlpRank = (t: string) => (TLP_VALUES as readonly string[]).indexOf(t);

interface Recipient {
  key: string;
  contactId: string | null;
  partnerId: string | null;
  name: string;
  email: string;
  language: Language;
  mode: string;
}

/** Next send time of a digest: the next 00:00 UTC (daily) or Monday 00:00 UTC (weekly). */
function sendAfter(mode: string, now: Date): string {
  if (mode === 'immediate') return now.toISOString();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  if (mode === 'weekly') while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/**
 * Notices: per constituent, topic and recipient (contact by preference, or the sector's partner
 * CERT), one notice naming the events not yet notified, with the engine's CSV and bilingual text.
 * Idempotent: the dedupe key (import, constituent, topic, recipient) and the events' `notice_id`
 * are written in one transaction with the mail, so a rerun neither re-sends nor loses a notice.
 */
export function createNotificationsService(deps: {
  db: Db;
  audit: AuditService;
  clock: Clock;
  queue: Queue;
  config: FeedsConfig;
  publicUrl: string;
  queueMail: (trx: Db, input: QueueMailInput) => Promise<{ id: string }>;
  incidents: IncidentsService;
}) {
  const { db, clock, config } = deps;
  const system: Actor = { kind: 'system', component: 'notices' };

  /** The notice, after checking this actor may see it (a partner: addressed to it or about a constituent in its care). */
  async function noticeFor(actor: Actor, id: string, action: 'notice:read' | 'notice:manage'): Promise<Row<'notices'>> {
    authorize(actor, action === 'notice:read' ? 'notice:list' : action);
    const n = await db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!n) throw new NotFound('not_found');
    const cons = await db.selectFrom('constituents').select('partner_id').where('id', '=', n.constituent_id).executeTakeFirst();
    const handedTo = [n.partner_id, cons?.partner_id ?? null].filter((x): x is string => x !== null);
    // Not found rather than forbidden: whether a notice exists is itself not for everyone to learn.
    if (!can(actor, action, { organisationId: n.constituent_id, handedTo })) throw new NotFound('not_found');
    return n;
  }

  async function changeState(actor: Actor, id: string, state: 'acknowledged' | 'resolved', note: string | null, extra: (now: string) => Partial<Row<'notices'>>, from: readonly string[]): Promise<NoticeView> {
    const n = await noticeFor(actor, id, 'notice:manage');
    if (!from.includes(n.state)) throw new Conflict('notice_state', `a ${n.state} notice cannot become ${state}`, { details: [{ field: 'state', code: n.state }] });
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('notices').set({ state, ...extra(now), ...(note ? { note } : {}), updated_at: now }).where('id', '=', id).where('state', '=', n.state).execute();
      await deps.audit.record(trx, actor, { action: state === 'acknowledged' ? 'notice.acknowledge' : 'notice.resolve', targetType: 'notice', targetId: id, details: { via: 'staff', previousState: n.state, ...(note ? { note } : {}) } });
    });
    const after = await db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toView(after);
  }

  async function recipientsOf(constituent: Row<'constituents'>, types: string[], tlp: string): Promise<Recipient[]> {
    const out: Recipient[] = [];
    const routed = config.routedSectors.includes(constituent.sector) && constituent.partner_id !== null && config.sectorRouting !== 'organisation';
    if (!routed || config.sectorRouting === 'both') {
      const contacts = await db.selectFrom('constituent_contacts').selectAll().where('constituent_id', '=', constituent.id).orderBy('position').execute();
      for (const k of contacts) {
        if (tlpRank(tlp) > tlpRank(k.tlp_ceiling)) continue;
        const wanted = JSON.parse(k.event_types) as string[];
        if (wanted.length > 0 && !types.some((t) => wanted.includes(t))) continue;
        out.push({ key: `contact:${k.id}`, contactId: k.id, partnerId: null, name: k.name, email: k.email, language: k.language === 'en' ? 'en' : 'zh-TW', mode: k.notify_mode });
      }
    }
    if (routed) {
      const p = await db.selectFrom('partners').selectAll().where('id', '=', constituent.partner_id!).executeTakeFirst();
      if (p?.email) out.push({ key: `partner:${p.id}`, contactId: null, partnerId: p.id, name: p.short_name, email: p.email, language: p.country === 'TW' ? 'zh-TW' : 'en', mode: 'immediate' });
    }
    return out;
  }

  async function queueMailFor(trx: Db, n: Row<'notices'>, name: string | null): Promise<void> {
    const { id } = await deps.queueMail(trx, { kind: 'notice', to: [{ name: name ?? '', address: n.recipient }], subject: n.subject, body: n.body, language: n.language === 'en' ? 'en' : 'zh-TW', autoSubmitted: 'auto-generated', headers: { 'X-Tocsin-Notice': n.id } });
    // The notice stays `queued` until the outbox has handed the mail to the relay (syncDelivery).
    await trx.updateTable('notices').set({ outbox_id: id, updated_at: clock.now().toISOString() }).where('id', '=', n.id).execute();
  }

  async function escalateDue(): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - config.escalateAfterHours * HOUR_MS).toISOString();
    const due = await db.selectFrom('notices').selectAll().where('state', 'in', OPEN).where('incident_id', 'is', null).where('send_after', '<', cutoff).orderBy('created_at').limit(200).execute();
    let n = 0;
    for (const notice of due) {
      const cons = await db.selectFrom('constituents').select(['name', 'sector']).where('id', '=', notice.constituent_id).executeTakeFirst();
      // The incident is created in its own transaction; its title carries the notice id so that a
      // rerun after a crash between the two finds it instead of opening a second one.
      const tag = `[notice ${notice.id}]`;
      const existing = await db.selectFrom('incidents').select('id').where('title', 'like', `%${tag}`).executeTakeFirst();
      const incident = existing ?? (await deps.incidents.create(system, { title: `未確認之主動告知 Unacknowledged notice: ${notice.subject}`.slice(0, 300 - tag.length - 1) + ` ${tag}`, constituentId: notice.constituent_id, tlp: 'AMBER', ...(cons && (SECTORS as readonly string[]).includes(cons.sector) ? { sector: cons.sector as (typeof SECTORS)[number] } : {}) }));
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('notices').set({ state: 'escalated', incident_id: incident.id, escalated_at: clock.now().toISOString(), updated_at: clock.now().toISOString() }).where('id', '=', notice.id).execute();
        await deps.audit.record(trx, system, { action: 'notice.escalate', targetType: 'notice', targetId: notice.id, details: { incidentId: incident.id } });
      });
      n++;
    }
    return n;
  }

  /** Queues the mail of digest notices whose time has come. */
  async function sendDue(): Promise<number> {
    const due = await db.selectFrom('notices').selectAll().where('state', '=', 'queued').where('outbox_id', 'is', null).where('send_after', '<=', clock.now().toISOString()).limit(500).execute();
    for (const n of due) {
      await db.transaction().execute(async (trx) => {
        const still = await trx.selectFrom('notices').select('outbox_id').where('id', '=', n.id).executeTakeFirst();
        if (still?.outbox_id) return;
        await queueMailFor(trx, n, null);
      });
    }
    return due.length;
  }

  /** Notice states from their mail's: sent by the relay → sent; failed or bounced → bounced. */
  async function syncDelivery(): Promise<number> {
    const rows = await db.selectFrom('notices as n').innerJoin('mail_outbox as m', 'm.id', 'n.outbox_id').select(['n.id', 'm.state as mailState', 'm.sent_at as mailSentAt']).where('n.state', 'in', ['queued', 'sent']).where('m.state', 'in', ['sent', 'failed', 'bounced']).limit(5000).execute();
    let changed = 0;
    for (const r of rows) {
      const state = r.mailState === 'sent' ? 'sent' : 'bounced';
      const now = clock.now().toISOString();
      const u = await db.updateTable('notices').set({ state, sent_at: r.mailSentAt ?? now, updated_at: now }).where('id', '=', r.id).where('state', 'in', state === 'sent' ? ['queued'] : ['queued', 'sent']).executeTakeFirst();
      changed += Number(u.numUpdatedRows);
    }
    return changed;
  }

  /** Sweep: delivery states, digests to send and notices to escalate. Re-enqueued hourly (dedupe key per hour). */
  const sweepJob = defineJob<{ hour: string }>({
    name: 'notices.sweep',
    maxAttempts: 5,
    backoffMs: exponentialBackoff(30_000, 3_600_000),
    timeoutMs: 10 * 60_000,
    handler: async () => {
      await syncDelivery();
      await sendDue();
      await escalateDue();
      const next = new Date(Math.floor(clock.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
      await deps.queue.enqueue(db, sweepJob, { hour: next.toISOString() }, { runAt: next, dedupeKey: `notices.sweep:${next.toISOString()}` });
    },
  });
  deps.queue.register(sweepJob);

  return {
    sweepJob,
    syncDelivery,
    escalateDue,
    sendDue,

    /** Makes sure a sweep is scheduled (called at start-up by whoever runs jobs). */
    async scheduleSweep(): Promise<void> {
      const next = new Date(Math.floor(clock.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
      await deps.queue.enqueue(db, sweepJob, { hour: next.toISOString() }, { runAt: next, dedupeKey: `notices.sweep:${next.toISOString()}` });
    },

    /** Notices for the drafts of one import; returns how many were created. */
    async fromDrafts(imp: { id: string; sourceId: string; feedName: string; tlp: string }, drafts: readonly NoticeDraft[]): Promise<number> {
      let created = 0;
      for (const draft of drafts) {
        const constituent = await db.selectFrom('constituents').selectAll().where('id', '=', draft.constituentId).executeTakeFirst();
        if (!constituent) continue;
        const recipients = await recipientsOf(constituent, draft.types, imp.tlp);
        if (recipients.length === 0) continue;
        await db.transaction().execute(async (trx) => {
          // Only events no notice has named yet (a re-import of the same data notifies nobody twice).
          const keys = draft.hosts.map((h) => h.key);
          const fresh = new Map<string, { id: string; host: string }>();
          for (let i = 0; i < keys.length; i += 500) {
            for (const r of await trx.selectFrom('events').select(['id', 'dedup_key', 'host']).where('dedup_key', 'in', keys.slice(i, i + 500)).where('notice_id', 'is', null).execute()) fresh.set(r.dedup_key, { id: r.id, host: r.host });
          }
          // Hosts an open notice of the same kind already names are not notified again: the new
          // sightings are attached to that notice (a host re-seen the next day is not news).
          const freshHosts = [...new Set([...fresh.values()].map((f) => f.host))];
          const covered = new Map<string, string>();
          for (let i = 0; i < freshHosts.length; i += 500) {
            const rows = await trx.selectFrom('notice_hosts as nh').innerJoin('notices as n', 'n.id', 'nh.notice_id').select(['nh.host', 'n.id'])
              .where('n.constituent_id', '=', draft.constituentId).where('n.topic', '=', draft.topic).where('n.state', 'in', [...OPEN, 'acknowledged']).where('nh.host', 'in', freshHosts.slice(i, i + 500)).execute();
            for (const r of rows) covered.set(r.host, r.id);
          }
          for (const [key, f] of fresh) {
            const owner = covered.get(f.host);
            if (owner === undefined) continue;
            await trx.updateTable('events').set({ notice_id: owner }).where('id', '=', f.id).where('notice_id', 'is', null).execute();
            fresh.delete(key);
          }
          if (fresh.size === 0) return;
          const part: NoticeDraft = { ...draft, hosts: draft.hosts.filter((h) => fresh.has(h.key)) };
          const eventIds = part.hosts.map((h) => fresh.get(h.key)!.id);
          const hosts = [...new Set(part.hosts.map((h) => fresh.get(h.key)!.host))];
          let first: string | null = null;
          for (const r of recipients) {
            const token = randomBytes(32).toString('base64url');
            const id = uuidv7();
            const now = clock.now();
            const text = renderNotice(part, { language: r.language, constituentName: constituent.name, tlp: imp.tlp, ackUrl: `${deps.publicUrl}/api/v1/public/notices/ack/${token}`, feedName: imp.feedName });
            const row = {
              id, dedupe_key: `${imp.id}:${draft.constituentId}:${draft.topic}:${r.key}`, constituent_id: constituent.id, contact_id: r.contactId, partner_id: r.partnerId, recipient: r.email,
              feed_source_id: imp.sourceId, import_id: imp.id, topic: draft.topic, types: JSON.stringify(part.types), identifiers: JSON.stringify(part.identifiers), event_count: eventIds.length, event_ids: JSON.stringify(eventIds),
              csv: text.csv, language: r.language, notify_mode: r.mode, subject: text.subject, body: text.body, state: 'queued', ack_token_hash: tokenHash(token), outbox_id: null, incident_id: null,
              send_after: sendAfter(r.mode, now), created_at: now.toISOString(), updated_at: now.toISOString(), sent_at: null, acknowledged_at: null, resolved_at: null, escalated_at: null, acknowledged_via: null, acknowledged_by: null, note: null,
            };
            const ins = await trx.insertInto('notices').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
            if (Number(ins.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
            first ??= id;
            created++;
            for (let i = 0; i < hosts.length; i += 500) await trx.insertInto('notice_hosts').values(hosts.slice(i, i + 500).map((host) => ({ notice_id: id, host }))).execute();
            if (r.mode === 'immediate') await queueMailFor(trx, row, r.name);
            await deps.audit.record(trx, system, { action: 'notice.create', targetType: 'notice', targetId: id, details: { constituentId: constituent.id, topic: draft.topic, events: eventIds.length, recipient: r.key } });
          }
          if (first) for (let i = 0; i < eventIds.length; i += 500) await trx.updateTable('events').set({ notice_id: first }).where('id', 'in', eventIds.slice(i, i + 500)).where('notice_id', 'is', null).execute();
        });
      }
      return created;
    },

    /**
     * Open notices of this feed about what this (later) import reports on — the same classification
     * identifiers (or types, for notices without identifiers) — that name none of the hosts it shows
     * are resolved.
     */
    async resolveAfterImport(sourceId: string, importId: string): Promise<number> {
      const seen = await db.selectFrom('event_imports as ei').innerJoin('events as e', 'e.id', 'ei.event_id').select(['e.classification_type as type', 'e.classification_identifier as identifier']).distinct().where('ei.import_id', '=', importId).execute();
      const types = new Set(seen.map((r) => r.type));
      const identifiers = new Set(seen.map((r) => r.identifier).filter((x): x is string => x !== null));
      const open = await db.selectFrom('notices').select(['id', 'types', 'identifiers']).where('feed_source_id', '=', sourceId).where('import_id', '<>', importId).where('state', 'in', [...OPEN, 'acknowledged']).execute();
      const candidates = open.filter((n) => {
        const ids = JSON.parse(n.identifiers) as string[];
        return ids.length > 0 ? ids.some((i) => identifiers.has(i)) : (JSON.parse(n.types) as string[]).some((t) => types.has(t));
      });
      let resolved = 0;
      for (const n of candidates) {
        const now = clock.now().toISOString();
        const r = await sql`update notices set state = 'resolved', resolved_at = ${now}, updated_at = ${now}
          where id = ${n.id} and state in ('queued', 'sent', 'delivered', 'acknowledged')
            and not exists (select 1 from notice_hosts nh join events e on e.feed_source_id = ${sourceId} and e.host = nh.host
                            join event_imports ei on ei.event_id = e.id and ei.import_id = ${importId}
                            where nh.notice_id = ${n.id})`.execute(db);
        resolved += Number(r.numAffectedRows ?? 0n);
      }
      return resolved;
    },

    /** The signed link in the notice: no login; the token is compared by its hash. */
    async acknowledge(token: string, ip: string | null): Promise<{ state: string; subject: string }> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFound('not_found');
      const n = await db.selectFrom('notices').selectAll().where('ack_token_hash', '=', tokenHash(token)).executeTakeFirst();
      if (!n) throw new NotFound('not_found');
      if (OPEN.includes(n.state)) {
        const now = clock.now().toISOString();
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('notices').set({ state: 'acknowledged', acknowledged_at: now, acknowledged_via: 'link', acknowledged_by: ip, updated_at: now }).where('id', '=', n.id).execute();
          await deps.audit.record(trx, { kind: 'anonymous', ip }, { action: 'notice.acknowledge', targetType: 'notice', targetId: n.id, details: { via: 'link' } });
        });
        return { state: 'acknowledged', subject: n.subject };
      }
      return { state: n.state, subject: n.subject };
    },

    /** One notice for the console (its recipient is personal data: staff reads are audited). */
    async get(actor: Actor, id: string): Promise<NoticeDetail> {
      const n = await noticeFor(actor, id, 'notice:read');
      const [cons, feed, hostRows, hostCount, mail] = await Promise.all([
        db.selectFrom('constituents').select('name').where('id', '=', n.constituent_id).executeTakeFirst(),
        db.selectFrom('feed_sources').select('name').where('id', '=', n.feed_source_id).executeTakeFirst(),
        db.selectFrom('notice_hosts').select('host').where('notice_id', '=', id).orderBy('host').limit(HOSTS_SHOWN).execute(),
        db.selectFrom('notice_hosts').select((eb) => eb.fn.countAll<number>().as('n')).where('notice_id', '=', id).executeTakeFirstOrThrow(),
        n.outbox_id ? db.selectFrom('mail_outbox').select(['id', 'state', 'message_id', 'encrypted', 'attempts', 'last_error', 'sent_at']).where('id', '=', n.outbox_id).executeTakeFirst() : Promise.resolve(undefined),
      ]);
      if (actor.kind === 'user') await deps.audit.recordAlone(actor, { action: 'notice.read', targetType: 'notice', targetId: id, details: {} });
      return {
        ...toView(n),
        constituentName: cons?.name ?? null,
        feedName: feed?.name ?? null,
        body: n.body,
        acknowledgedBy: n.acknowledged_by,
        hostCount: Number(hostCount.n),
        hosts: hostRows.map((r) => r.host),
        mail: mail ? { id: mail.id, state: mail.state, messageId: mail.message_id, encrypted: mail.encrypted === null ? null : Number(mail.encrypted) === 1, attempts: Number(mail.attempts), lastError: mail.last_error, sentAt: mail.sent_at } : null,
      };
    },

    /** The notice's CSV of affected hosts, as sent. */
    async csv(actor: Actor, id: string): Promise<{ fileName: string; csv: string }> {
      const n = await noticeFor(actor, id, 'notice:read');
      return { fileName: `tocsin-notice-${n.topic.replace(/[^A-Za-z0-9_-]/g, '_')}-${n.id}.csv`, csv: n.csv };
    },

    /** Staff record an acknowledgement the owner gave another way (by phone, say). */
    async acknowledgeFor(actor: Actor, id: string, note: string | null): Promise<NoticeView> {
      authorize(actor, 'notice:manage');
      // Also after escalation: the owner often calls back once the incident team has phoned them.
      return changeState(actor, id, 'acknowledged', note, (now) => ({ acknowledged_at: now, acknowledged_via: 'staff', acknowledged_by: actor.kind === 'user' ? actor.id : null }), [...OPEN, 'escalated']);
    },

    /** Staff close a notice the owner has shown to be fixed (before a later feed shows it). */
    async resolveFor(actor: Actor, id: string, note: string | null): Promise<NoticeView> {
      authorize(actor, 'notice:manage');
      return changeState(actor, id, 'resolved', note, (now) => ({ resolved_at: now }), [...OPEN, 'acknowledged', 'bounced', 'escalated']);
    },

    async list(actor: Actor, q: { state?: string | undefined; constituentId?: string | undefined; feedSourceId?: string | undefined; importId?: string | undefined; limit: number; cursor?: string | undefined }): Promise<{ items: NoticeView[]; nextCursor: string | null }> {
      authorize(actor, 'notice:list');
      const scope = listScope(actor);
      let query = db.selectFrom('notices').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
      if ('none' in scope) return { items: [], nextCursor: null };
      if ('organisationId' in scope) query = query.where('constituent_id', '=', scope.organisationId);
      if ('partnerId' in scope) query = query.where((eb) => eb.or([eb('partner_id', '=', scope.partnerId), eb('constituent_id', 'in', eb.selectFrom('constituents').select('id').where('partner_id', '=', scope.partnerId))]));
      if (q.state) {
        if (!(NOTICE_STATES as readonly string[]).includes(q.state)) throw new Invalid('validation_failed', undefined, { details: [{ field: 'state', code: 'invalid_state' }] });
        query = query.where('state', '=', q.state);
      }
      if (q.constituentId) query = query.where('constituent_id', '=', q.constituentId);
      if (q.feedSourceId) query = query.where('feed_source_id', '=', q.feedSourceId);
      if (q.importId) query = query.where('import_id', '=', q.importId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query.execute();
      const more = rows.length > q.limit;
      const items = rows.slice(0, q.limit).map(toView);
      return { items, nextCursor: more ? items[items.length - 1]!.id : null };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
