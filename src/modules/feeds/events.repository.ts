import { sql } from 'kysely';
import type { Db, NewRow } from '../../db/database.js';
import { uuidv7 } from '../../lib/ids.js';
import type { DedupedEvent, FeedEvent, SightingUpdate } from './engine/index.js';

/** Columns kept typed; every other harmonised field goes into `extra` under its IntelMQ name. */
const TYPED = new Set(['feed.name', 'classification.taxonomy', 'classification.type', 'classification.identifier', 'source.ip', 'source.port', 'source.asn', 'source.fqdn', 'source.url', 'source.network', 'source.geolocation.cc', 'protocol.transport', 'protocol.application', 'malware.name', 'time.source', 'time.observation', 'extra']);

/** What a notice names for a host: the URL, else the address, else the name, else the network. */
export function hostOf(e: FeedEvent): string {
  return e['source.url'] ?? e['source.ip'] ?? e['source.fqdn'] ?? e['source.network'] ?? '';
}

export function eventRow(d: DedupedEvent, ctx: { sourceId: string; importId: string; tlp: string; now: string }): NewRow<'events'> {
  const e = d.event;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (!TYPED.has(k)) rest[k] = v;
  const extra = { ...rest, ...(e.extra ?? {}) };
  return {
    id: uuidv7(),
    dedup_key: d.key,
    feed_source_id: ctx.sourceId,
    first_import_id: ctx.importId,
    feed_name: e['feed.name'],
    classification_taxonomy: e['classification.taxonomy'],
    classification_type: e['classification.type'],
    classification_identifier: e['classification.identifier'] ?? null,
    source_ip: e['source.ip'] ?? null,
    source_port: e['source.port'] ?? null,
    source_asn: e['source.asn'] ?? null,
    source_fqdn: e['source.fqdn'] ?? null,
    source_url: e['source.url'] ?? null,
    source_network: e['source.network'] ?? null,
    source_cc: e['source.geolocation.cc'] ?? null,
    protocol_transport: e['protocol.transport'] ?? null,
    protocol_application: e['protocol.application'] ?? null,
    malware_name: e['malware.name'] ?? null,
    time_source: e['time.source'] ?? null,
    time_observation: e['time.observation'],
    extra: JSON.stringify(extra),
    host: hostOf(e),
    constituent_id: d.match?.constituentId ?? null,
    matched_by: d.match?.by ?? null,
    matched_on: d.match?.on ?? null,
    sightings: d.count,
    first_seen: d.firstSeen,
    last_seen: d.lastSeen,
    tlp: ctx.tlp,
    notice_id: null,
    created_at: ctx.now,
  };
}

/**
 * Event storage, idempotent by construction: events are inserted ignoring conflicts on dedup_key,
 * and each import's sightings are stored as absolute counts per (event, import); the event's
 * sightings and first/last seen are recomputed from those rows. A rerun of an import overwrites its
 * own counts instead of adding to them.
 */
export function createEventsRepository() {
  return {
    async storeBatch(db: Db, rows: NewRow<'events'>[], importId: string): Promise<void> {
      if (rows.length === 0) return;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('events').values(rows).onConflict((oc) => oc.column('dedup_key').doNothing()).execute();
        const ids = await trx.selectFrom('events').select(['id', 'dedup_key']).where('dedup_key', 'in', rows.map((r) => r.dedup_key)).execute();
        const byKey = new Map(rows.map((r) => [r.dedup_key, r]));
        await trx
          .insertInto('event_imports')
          .values(ids.map((x) => ({ event_id: x.id, import_id: importId, count: 1, first_seen: byKey.get(x.dedup_key)!.first_seen, last_seen: byKey.get(x.dedup_key)!.last_seen })))
          .onConflict((oc) => oc.columns(['event_id', 'import_id']).doUpdateSet((eb) => ({ count: eb.ref('excluded.count'), first_seen: eb.ref('excluded.first_seen'), last_seen: eb.ref('excluded.last_seen') })))
          .execute();
      });
    },

    /** Final counts of events seen more than once in this import, then every touched event's totals. */
    async finishSightings(db: Db, importId: string, batches: Iterable<readonly SightingUpdate[]>): Promise<void> {
      for (const chunk of batches) {
        const ids = new Map((await db.selectFrom('events').select(['id', 'dedup_key']).where('dedup_key', 'in', chunk.map((u) => u.key)).execute()).map((r) => [r.dedup_key, r.id]));
        const values = chunk.flatMap((u) => {
          const id = ids.get(u.key);
          return id ? [{ event_id: id, import_id: importId, count: u.count, first_seen: u.firstSeen, last_seen: u.lastSeen }] : [];
        });
        if (values.length === 0) continue;
        // One upsert per chunk (absolute counts: a rerun writes the same values).
        await db
          .insertInto('event_imports')
          .values(values)
          .onConflict((oc) => oc.columns(['event_id', 'import_id']).doUpdateSet((eb) => ({ count: eb.ref('excluded.count'), first_seen: eb.ref('excluded.first_seen'), last_seen: eb.ref('excluded.last_seen') })))
          .execute();
      }
      await sql`update events set
          sightings = (select sum(ei.count) from event_imports ei where ei.event_id = events.id),
          first_seen = (select min(ei.first_seen) from event_imports ei where ei.event_id = events.id),
          last_seen = (select max(ei.last_seen) from event_imports ei where ei.event_id = events.id)
        where id in (select event_id from event_imports where import_id = ${importId})`.execute(db);
    },
  };
}
