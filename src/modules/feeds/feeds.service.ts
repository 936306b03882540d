import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Db, Row } from '../../db/database.js';
import type { BlobStore } from '../../lib/blobs.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Clock } from '../../lib/time.js';
import type { Queue } from '../../jobs/queue.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, can, listScope, type Actor } from '../auth/policy.js';
import type { FeedsConfig } from './feeds.config.js';
import type { FeedImportRunner } from './feeds.import.js';
import { parserFor } from './feed-parsers.js';
import type { EventsQuery, EventView, FeedImport, FeedSource, FeedSourceInput, FeedSourcePatch } from './feeds.schemas.js';

const toImport = (r: Row<'feed_imports'>): FeedImport => ({
  id: r.id,
  sourceId: r.source_id,
  method: r.method,
  fileName: r.file_name,
  size: Number(r.size),
  observedAt: r.observed_at,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  rows: Number(r.rows),
  accepted: Number(r.accepted),
  rejected: Number(r.rejected),
  matched: Number(r.matched),
  unmatched: Number(r.unmatched),
  events: Number(r.events),
  notices: Number(r.notices),
  errors: JSON.parse(r.errors) as FeedImport['errors'],
  error: r.error,
  createdAt: r.created_at,
});

const toSource = (r: Row<'feed_sources'>, last: Row<'feed_imports'> | undefined): FeedSource => ({
  id: r.id,
  name: r.name,
  parser: r.parser,
  options: JSON.parse(r.options) as Record<string, unknown>,
  provider: r.provider,
  defaultTlp: r.default_tlp,
  pollUrl: r.poll_url,
  schedule: r.schedule,
  mailAddress: r.mail_address,
  mailSenders: JSON.parse(r.mail_senders) as string[],
  poll: { nextAt: r.poll_next_at, lastAt: r.poll_last_at, error: r.poll_error },
  enabled: Number(r.enabled) === 1,
  createdAt: r.created_at,
  lastImport: last ? toImport(last) : null,
});

const toEvent = (r: Row<'events'>, names: ReadonlyMap<string, string>): EventView => ({
  id: r.id,
  dedupKey: r.dedup_key,
  feedSourceId: r.feed_source_id,
  'feed.name': r.feed_name,
  'classification.taxonomy': r.classification_taxonomy,
  'classification.type': r.classification_type,
  'classification.identifier': r.classification_identifier,
  'source.ip': r.source_ip,
  'source.port': r.source_port === null ? null : Number(r.source_port),
  'source.asn': r.source_asn === null ? null : Number(r.source_asn),
  'source.fqdn': r.source_fqdn,
  'source.url': r.source_url,
  'source.network': r.source_network,
  'source.geolocation.cc': r.source_cc,
  'protocol.transport': r.protocol_transport,
  'protocol.application': r.protocol_application,
  'malware.name': r.malware_name,
  'time.source': r.time_source,
  'time.observation': r.time_observation,
  extra: JSON.parse(r.extra) as Record<string, unknown>,
  constituentId: r.constituent_id,
  constituentName: r.constituent_id === null ? null : (names.get(r.constituent_id) ?? null),
  matchedBy: r.matched_by,
  matchedOn: r.matched_on,
  sightings: Number(r.sightings),
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  tlp: r.tlp,
  noticeId: r.notice_id,
});

/** Minutes in a schedule such as "30m", "6h" or "1d" (the schema checked its shape). */
export function scheduleMinutes(schedule: string): number {
  const n = Number(schedule.slice(0, -1));
  const unit = schedule.at(-1);
  return unit === 'd' ? n * 1440 : unit === 'h' ? n * 60 : n;
}

/** Cross-field rules of a source: URL and schedule go together; polling no more often than every 5 minutes. */
function checkDelivery(pollUrl: string | null, schedule: string | null): void {
  if ((pollUrl === null) !== (schedule === null)) throw new Invalid('validation_failed', undefined, { details: [{ field: pollUrl === null ? 'pollUrl' : 'schedule', code: 'required' }] });
  if (schedule !== null && scheduleMinutes(schedule) < 5) throw new Invalid('validation_failed', undefined, { details: [{ field: 'schedule', code: 'too_frequent' }] });
}

/** How a feed file arrived: uploaded in the console, pushed by a partner's token, fetched from the source's URL, or mailed to its address. */
export type ImportMethod = 'upload' | 'push' | 'poll' | 'mail';

const normaliseSenders = (senders: readonly string[]) => [...new Set(senders.map((x) => x.trim().toLowerCase()))];

/** Feed sources, imports (uploads and partner pushes, run on the job queue), events and the unmatched summary. */
export function createFeedsService(deps: { db: Db; blobs: BlobStore; queue: Queue; audit: AuditService; clock: Clock; config: FeedsConfig; runner: FeedImportRunner; reservedAddresses: readonly string[] }) {
  const { db, clock } = deps;

  async function sourceRow(id: string): Promise<Row<'feed_sources'>> {
    const r = await db.selectFrom('feed_sources').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFound('not_found');
    return r;
  }

  /** A feed address belongs to one source, and is not one of the team's own reporting addresses. */
  async function mailAddressFree(address: string | null, exceptId: string | null): Promise<void> {
    if (address === null) return;
    if (deps.reservedAddresses.includes(address)) throw new Conflict('feed_mail_address_reserved', undefined, { details: [{ field: 'mailAddress', code: 'reserved' }] });
    let q = db.selectFrom('feed_sources').select('name').where('mail_address', '=', address);
    if (exceptId) q = q.where('id', '<>', exceptId);
    const holder = await q.executeTakeFirst();
    if (holder) throw new Conflict('feed_mail_address_taken', `used by the feed "${holder.name}"`, { details: [{ field: 'mailAddress', code: 'taken', message: holder.name }] });
  }

  async function lastImports(ids: string[]): Promise<Map<string, Row<'feed_imports'>>> {
    const out = new Map<string, Row<'feed_imports'>>();
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('feed_imports').selectAll().where('source_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    for (const r of rows) if (!out.has(r.source_id)) out.set(r.source_id, r);
    return out;
  }

  return {
    async listSources(actor: Actor): Promise<FeedSource[]> {
      authorize(actor, 'feed:read');
      const rows = await db.selectFrom('feed_sources').selectAll().orderBy('name').execute();
      const last = await lastImports(rows.map((r) => r.id));
      return rows.map((r) => toSource(r, last.get(r.id)));
    },

    async createSource(actor: Actor, input: FeedSourceInput): Promise<FeedSource> {
      authorize(actor, 'feed:manage');
      parserFor(input.parser, input.options ?? {}); // refuses bad options before anything is stored
      checkDelivery(input.pollUrl ?? null, input.schedule ?? null);
      const taken = await db.selectFrom('feed_sources').select('id').where('name', '=', input.name.trim()).executeTakeFirst();
      if (taken) throw new Conflict('feed_name_taken', undefined, { details: [{ field: 'name', code: 'taken' }] });
      const mailAddress = input.mailAddress ? input.mailAddress.trim().toLowerCase() : null;
      await mailAddressFree(mailAddress, null);
      const id = uuidv7();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('feed_sources').values({ id, name: input.name.trim(), parser: input.parser, options: JSON.stringify(input.options ?? {}), provider: input.provider ?? null, default_tlp: input.defaultTlp, poll_url: input.pollUrl ?? null, schedule: input.schedule ?? null, enabled: input.enabled === false ? 0 : 1, mail_address: mailAddress, mail_senders: JSON.stringify(normaliseSenders(input.mailSenders ?? [])), poll_next_at: input.pollUrl ? now : null, created_at: now, updated_at: now }).execute();
        await deps.audit.record(trx, actor, { action: 'feed.create', targetType: 'feed_source', targetId: id, details: { name: input.name, parser: input.parser } });
      });
      return toSource(await sourceRow(id), undefined);
    },

    async updateSource(actor: Actor, id: string, patch: FeedSourcePatch): Promise<FeedSource> {
      authorize(actor, 'feed:manage');
      const row = await sourceRow(id);
      if (patch.parser !== undefined || patch.options !== undefined) parserFor(patch.parser ?? row.parser, patch.options ?? (JSON.parse(row.options) as Record<string, unknown>));
      const pollUrl = patch.pollUrl !== undefined ? patch.pollUrl : row.poll_url;
      const schedule = patch.schedule !== undefined ? patch.schedule : row.schedule;
      checkDelivery(pollUrl, schedule);
      const mailAddress = patch.mailAddress !== undefined ? (patch.mailAddress ? patch.mailAddress.trim().toLowerCase() : null) : row.mail_address;
      if (patch.mailAddress !== undefined) await mailAddressFree(mailAddress, id);
      // A new URL or interval is polled at once; without a URL nothing is due.
      const pollChanged = (patch.pollUrl !== undefined && patch.pollUrl !== row.poll_url) || (patch.schedule !== undefined && patch.schedule !== row.schedule);
      if (patch.name !== undefined) {
        const taken = await db.selectFrom('feed_sources').select('id').where('name', '=', patch.name.trim()).where('id', '<>', id).executeTakeFirst();
        if (taken) throw new Conflict('feed_name_taken', undefined, { details: [{ field: 'name', code: 'taken' }] });
      }
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('feed_sources')
          .set({
            ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
            ...(patch.parser !== undefined ? { parser: patch.parser } : {}),
            ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
            ...(patch.provider !== undefined ? { provider: patch.provider } : {}),
            ...(patch.defaultTlp !== undefined ? { default_tlp: patch.defaultTlp } : {}),
            ...(patch.pollUrl !== undefined ? { poll_url: patch.pollUrl } : {}),
            ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
            ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
            ...(patch.mailAddress !== undefined ? { mail_address: mailAddress } : {}),
            ...(patch.mailSenders !== undefined ? { mail_senders: JSON.stringify(normaliseSenders(patch.mailSenders)) } : {}),
            ...(pollChanged ? { poll_next_at: pollUrl ? now : null, poll_etag: null, poll_last_modified: null, poll_error: null } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await deps.audit.record(trx, actor, { action: 'feed.update', targetType: 'feed_source', targetId: id, details: { fields: Object.keys(patch) } });
      });
      return toSource(await sourceRow(id), (await lastImports([id])).get(id));
    },

    /** Stores the upload (streamed, size-limited) and queues its import; returns at once. */
    async startImport(actor: Actor, sourceId: string, input: { stream: Readable; fileName: string | null; method: ImportMethod }): Promise<FeedImport> {
      authorize(actor, 'feed:import');
      const source = await sourceRow(sourceId);
      if (Number(source.enabled) !== 1) throw new Forbidden('feed_disabled');
      if (input.fileName !== null && (input.fileName.length > 300 || [...input.fileName].some((ch) => ch.charCodeAt(0) < 32 || ch === '/' || ch === '\\'))) throw new Invalid('validation_failed', undefined, { details: [{ field: 'fileName', code: 'invalid' }] });
      const blob = await deps.blobs.put(input.stream, { maxBytes: deps.config.maxFeedBytes, ...(input.fileName ? { name: input.fileName } : {}) });
      const id = await db.transaction().execute((trx) => this.queueStoredImport(trx, actor, sourceId, { blob, fileName: input.fileName, method: input.method }));
      return this.getImport(actor, id);
    },

    /**
     * Records an already stored file as an import of the source and queues it, in the caller's
     * transaction (URL polling decides there, under a lock, whether the content is new).
     */
    async queueStoredImport(trx: Db, actor: Actor, sourceId: string, input: { blob: { sha256: string; size: number }; fileName: string | null; method: ImportMethod }): Promise<string> {
      authorize(actor, 'feed:import');
      const { blob } = input;
      const id = uuidv7();
      const now = clock.now().toISOString();
      await trx.insertInto('feed_imports').values({ id, source_id: sourceId, method: input.method, file_name: input.fileName, blob_sha256: blob.sha256, size: blob.size, observed_at: now, status: 'queued', started_at: null, finished_at: null, rows: 0, accepted: 0, rejected: 0, matched: 0, unmatched: 0, events: 0, notices: 0, errors: '[]', error: null, created_by: actor.kind === 'user' ? actor.id : null, created_at: now }).execute();
      await deps.queue.enqueue(trx, deps.runner.job, { importId: id }, { dedupeKey: `feeds.import:${id}` });
      await deps.audit.record(trx, actor, { action: 'feed.import', targetType: 'feed_import', targetId: id, details: { sourceId, method: input.method, size: blob.size, sha256: blob.sha256 } });
      return id;
    },

    async getSource(actor: Actor, id: string): Promise<FeedSource> {
      authorize(actor, 'feed:read');
      return toSource(await sourceRow(id), (await lastImports([id])).get(id));
    },

    /** Staff see every import; a partner that pushed one sees that one (to follow its progress). */
    async getImport(actor: Actor, id: string): Promise<FeedImport> {
      const staff = can(actor, 'feed:read');
      if (!staff) authorize(actor, 'feed:import');
      const r = await db.selectFrom('feed_imports').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw new NotFound('not_found');
      if (!staff && !(actor.kind === 'user' && r.created_by === actor.id)) throw new Forbidden('forbidden');
      return toImport(r);
    },

    async listImports(actor: Actor, sourceId: string, limit: number): Promise<FeedImport[]> {
      authorize(actor, 'feed:read');
      await sourceRow(sourceId);
      return (await db.selectFrom('feed_imports').selectAll().where('source_id', '=', sourceId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toImport);
    },

    /** Events newest first by first sighting, keyset-paged: the cursor is the last item's (firstSeen, id). */
    async listEvents(actor: Actor, q: EventsQuery): Promise<{ items: EventView[]; nextCursor: string | null }> {
      authorize(actor, 'event:list');
      const scope = listScope(actor);
      if ('none' in scope) return { items: [], nextCursor: null };
      const limit = q.limit ?? 100;
      let query = db.selectFrom('events').selectAll().orderBy('first_seen', 'desc').orderBy('id', 'desc').limit(limit + 1);
      if ('organisationId' in scope) query = query.where('constituent_id', '=', scope.organisationId);
      if ('partnerId' in scope) query = query.where('constituent_id', 'in', db.selectFrom('constituents').select('id').where('partner_id', '=', scope.partnerId));
      if (q.constituentId) query = query.where('constituent_id', '=', q.constituentId);
      if (q.type) query = query.where('classification_type', '=', q.type);
      if (q.feedSourceId) query = query.where('feed_source_id', '=', q.feedSourceId);
      if (q.importId) query = query.where('id', 'in', db.selectFrom('event_imports').select('event_id').where('import_id', '=', q.importId));
      // An event records the one notice that claimed it; every recipient's notice of the same draft
      // (import, constituent, topic) names the same events.
      if (q.noticeId) {
        const group = db
          .selectFrom('notices as g')
          .innerJoin('notices as n', (j) => j.onRef('g.import_id', '=', 'n.import_id').onRef('g.constituent_id', '=', 'n.constituent_id').onRef('g.topic', '=', 'n.topic'))
          .select('g.id')
          .where('n.id', '=', q.noticeId);
        query = query.where('notice_id', 'in', group);
      }
      if (q.matched !== undefined) query = query.where('constituent_id', q.matched ? 'is not' : 'is', null);
      if (q.from) query = query.where('first_seen', '>=', new Date(q.from).toISOString());
      if (q.to) query = query.where('first_seen', '<', new Date(q.to).toISOString());
      if (q.cursor) {
        const [seen, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
        if (!seen || !id) throw new Invalid('validation_failed', undefined, { details: [{ field: 'cursor', code: 'invalid' }] });
        query = query.where((eb) => eb.or([eb('first_seen', '<', seen), eb.and([eb('first_seen', '=', seen), eb('id', '<', id)])]));
      }
      const rows = await query.execute();
      const owners = [...new Set(rows.map((r) => r.constituent_id).filter((x): x is string => x !== null))];
      const names = new Map(owners.length === 0 ? [] : (await db.selectFrom('constituents').select(['id', 'name']).where('id', 'in', owners).execute()).map((c) => [c.id, c.name] as const));
      const items = rows.slice(0, limit).map((r) => toEvent(r, names));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.firstSeen}|${last.id}`).toString('base64url') : null };
    },

    async unmatchedSummary(actor: Actor): Promise<{ total: number; byCountry: { cc: string; events: number }[]; byAsn: { asn: number | null; events: number }[] }> {
      authorize(actor, 'feed:read');
      const byCountry = await db.selectFrom('events').select([sql<string>`coalesce(source_cc, 'unknown')`.as('cc'), (eb) => eb.fn.countAll<number>().as('n')]).where('constituent_id', 'is', null).groupBy(sql`coalesce(source_cc, 'unknown')`).orderBy('n', 'desc').limit(500).execute();
      const byAsn = await db.selectFrom('events').select(['source_asn', (eb) => eb.fn.countAll<number>().as('n')]).where('constituent_id', 'is', null).groupBy('source_asn').orderBy('n', 'desc').limit(500).execute();
      const total = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('constituent_id', 'is', null).executeTakeFirstOrThrow();
      return {
        total: Number(total.n),
        byCountry: byCountry.map((r) => ({ cc: r.cc, events: Number(r.n) })),
        byAsn: byAsn.map((r) => ({ asn: r.source_asn === null ? null : Number(r.source_asn), events: Number(r.n) })),
      };
    },
  };
}

export type FeedsService = ReturnType<typeof createFeedsService>;
