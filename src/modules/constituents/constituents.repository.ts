import type { Db, Row } from '../../db/database.js';
import type { NormalisedScope } from './constituent-scope.js';
import type { Constituent, ContactInput } from './constituents.schemas.js';
import type { NotifyMode } from './constituents.schemas.js';
import { uuidv7 } from '../../lib/ids.js';

/** All SQL of constituents and their scope and contacts. */
export interface Holder {
  kind: 'netblock' | 'asn' | 'domain';
  value: string;
  constituentId: string;
  constituentName: string;
}

const toContact = (r: Row<'constituent_contacts'>) => ({
  id: r.id,
  name: r.name,
  role: r.role,
  email: r.email,
  pgpKey: r.pgp_key,
  language: r.language as 'zh-TW' | 'en',
  notifyMode: r.notify_mode as NotifyMode,
  tlpCeiling: r.tlp_ceiling as Constituent['contacts'][number]['tlpCeiling'],
  eventTypes: JSON.parse(r.event_types) as string[],
});

export function createConstituentsRepository() {
  return {
    /**
     * Constituents with their scope. Contacts (personal data) only with `contacts: true`; otherwise
     * they are counted, not read.
     */
    async load(db: Db, rows: Row<'constituents'>[], opts: { contacts: boolean } = { contacts: true }): Promise<Constituent[]> {
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const [nets, asns, doms, contacts, counts] = await Promise.all([
        db.selectFrom('constituent_netblocks').selectAll().where('constituent_id', 'in', ids).orderBy('cidr').execute(),
        db.selectFrom('constituent_asns').selectAll().where('constituent_id', 'in', ids).orderBy('asn').execute(),
        db.selectFrom('constituent_domains').selectAll().where('constituent_id', 'in', ids).orderBy('domain').execute(),
        opts.contacts ? db.selectFrom('constituent_contacts').selectAll().where('constituent_id', 'in', ids).orderBy('position').execute() : Promise.resolve([]),
        opts.contacts ? Promise.resolve([]) : db.selectFrom('constituent_contacts').select(['constituent_id', (eb) => eb.fn.countAll<number>().as('n')]).where('constituent_id', 'in', ids).groupBy('constituent_id').execute(),
      ]);
      const counted = new Map(counts.map((c) => [c.constituent_id, Number(c.n)]));
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        sector: r.sector,
        partnerId: r.partner_id,
        netblocks: nets.filter((n) => n.constituent_id === r.id).map((n) => n.cidr),
        asns: asns.filter((n) => n.constituent_id === r.id).map((n) => Number(n.asn)),
        domains: doms.filter((n) => n.constituent_id === r.id).map((n) => n.domain),
        contacts: contacts.filter((n) => n.constituent_id === r.id).map(toContact),
        contactCount: opts.contacts ? contacts.filter((n) => n.constituent_id === r.id).length : (counted.get(r.id) ?? 0),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },

    /** Scope entries already held by another constituent. */
    async holders(db: Db, scope: NormalisedScope, exceptId: string | null): Promise<Holder[]> {
      const out: Holder[] = [];
      const names = async (ids: string[]) => new Map((ids.length ? await db.selectFrom('constituents').select(['id', 'name']).where('id', 'in', ids).execute() : []).map((r) => [r.id, r.name]));
      const chunks = <T>(a: T[]) => Array.from({ length: Math.ceil(a.length / 500) }, (_, i) => a.slice(i * 500, i * 500 + 500));
      const found: { kind: Holder['kind']; value: string; id: string }[] = [];
      for (const c of chunks(scope.netblocks)) for (const r of await db.selectFrom('constituent_netblocks').selectAll().where('cidr', 'in', c).execute()) found.push({ kind: 'netblock', value: r.cidr, id: r.constituent_id });
      for (const c of chunks(scope.asns)) for (const r of await db.selectFrom('constituent_asns').selectAll().where('asn', 'in', c).execute()) found.push({ kind: 'asn', value: String(r.asn), id: r.constituent_id });
      for (const c of chunks(scope.domains)) for (const r of await db.selectFrom('constituent_domains').selectAll().where('domain', 'in', c).execute()) found.push({ kind: 'domain', value: r.domain, id: r.constituent_id });
      const others = found.filter((f) => f.id !== exceptId);
      const nameOf = await names([...new Set(others.map((f) => f.id))]);
      for (const f of others) out.push({ kind: f.kind, value: f.value, constituentId: f.id, constituentName: nameOf.get(f.id) ?? '' });
      return out;
    },

    async replaceScope(trx: Db, id: string, scope: Partial<NormalisedScope>, now: string): Promise<void> {
      if (scope.netblocks) {
        await trx.deleteFrom('constituent_netblocks').where('constituent_id', '=', id).execute();
        for (let i = 0; i < scope.netblocks.length; i += 500) await trx.insertInto('constituent_netblocks').values(scope.netblocks.slice(i, i + 500).map((cidr) => ({ cidr, constituent_id: id, created_at: now }))).execute();
      }
      if (scope.asns) {
        await trx.deleteFrom('constituent_asns').where('constituent_id', '=', id).execute();
        for (let i = 0; i < scope.asns.length; i += 500) await trx.insertInto('constituent_asns').values(scope.asns.slice(i, i + 500).map((asn) => ({ asn, constituent_id: id, created_at: now }))).execute();
      }
      if (scope.domains) {
        await trx.deleteFrom('constituent_domains').where('constituent_id', '=', id).execute();
        for (let i = 0; i < scope.domains.length; i += 500) await trx.insertInto('constituent_domains').values(scope.domains.slice(i, i + 500).map((domain) => ({ domain, constituent_id: id, created_at: now }))).execute();
      }
    },

    /**
     * Makes the constituent's contacts the given list, in order. A contact keeps its id (which notices
     * name) when the input carries it or, without one, when an existing contact has the same address;
     * contacts no longer listed are removed. Returns the input positions whose id is not one of this
     * constituent's contacts.
     */
    async replaceContacts(trx: Db, id: string, contacts: ContactInput[]): Promise<number[]> {
      const existing = await trx.selectFrom('constituent_contacts').select(['id', 'email']).where('constituent_id', '=', id).execute();
      const byId = new Set(existing.map((r) => r.id));
      const byEmail = new Map(existing.map((r) => [r.email.toLowerCase(), r.id]));
      const unknown: number[] = [];
      const claimed = new Set<string>();
      const rows = contacts.map((c, i) => {
        let contactId = c.id;
        if (contactId !== undefined && !byId.has(contactId)) unknown.push(i);
        if (contactId === undefined) {
          const same = byEmail.get(c.email.trim().toLowerCase());
          if (same !== undefined && !claimed.has(same)) contactId = same;
        }
        // Two inputs naming one contact: the second becomes a new contact.
        if (contactId === undefined || claimed.has(contactId)) contactId = uuidv7();
        claimed.add(contactId);
        return { id: contactId, constituent_id: id, position: i, name: c.name.trim(), role: c.role.trim(), email: c.email.trim(), pgp_key: c.pgpKey ?? null, language: c.language, notify_mode: c.notifyMode, tlp_ceiling: c.tlpCeiling, event_types: JSON.stringify(c.eventTypes) };
      });
      if (unknown.length) return unknown;
      const gone = existing.map((r) => r.id).filter((x) => !claimed.has(x));
      if (gone.length) await trx.deleteFrom('constituent_contacts').where('id', 'in', gone).execute();
      for (const r of rows) {
        if (byId.has(r.id)) await trx.updateTable('constituent_contacts').set(r).where('id', '=', r.id).execute();
        else await trx.insertInto('constituent_contacts').values(r).execute();
      }
      return [];
    },

    /** Every constituent's scope, for the feed matcher. */
    async allScopes(db: Db): Promise<{ id: string; netblocks: string[]; asns: number[]; domains: string[] }[]> {
      const map = new Map<string, { id: string; netblocks: string[]; asns: number[]; domains: string[] }>();
      const get = (id: string) => map.get(id) ?? (map.set(id, { id, netblocks: [], asns: [], domains: [] }).get(id)!);
      for (const r of await db.selectFrom('constituent_netblocks').select(['cidr', 'constituent_id']).execute()) get(r.constituent_id).netblocks.push(r.cidr);
      for (const r of await db.selectFrom('constituent_asns').select(['asn', 'constituent_id']).execute()) get(r.constituent_id).asns.push(Number(r.asn));
      for (const r of await db.selectFrom('constituent_domains').select(['domain', 'constituent_id']).execute()) get(r.constituent_id).domains.push(r.domain);
      return [...map.values()];
    },
  };
}

export type ConstituentsRepository = ReturnType<typeof createConstituentsRepository>;
