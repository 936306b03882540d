import type { Db, Row } from '../../db/database.js';
import { Conflict, Invalid, NotFound, type FieldProblem } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { describePublicKey, readPublicKeys } from '../../lib/pgp.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import { SECTORS, TLP_VALUES } from '../incidents/taxonomy.js';
import { normaliseScope, type NormalisedScope } from './constituent-scope.js';
import { contactOfRow, parseConstituentsCsv, renderConstituentsCsv } from './constituents.csv.js';
import { createConstituentsRepository, type Holder } from './constituents.repository.js';
import { NOTIFY_MODES, type Constituent, type ConstituentInput, type ConstituentPatch, type ContactInput } from './constituents.schemas.js';

export { ConstituentInputSchema, ConstituentSchema } from './constituents.schemas.js';
export type { Constituent, ConstituentInput } from './constituents.schemas.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function conflictOf(holders: Holder[], fieldOf: (h: Holder) => string): Conflict {
  const first = holders[0]!;
  return new Conflict('constituent_scope_taken', undefined, {
    params: { value: first.value, holder: first.constituentName },
    details: holders.map((h) => ({ field: fieldOf(h), code: 'held_by_other', message: `${h.value} → ${h.constituentName} (${h.constituentId})` })),
  });
}

/**
 * Constituents: organisations with sector, responsible partner CERT, scope (netblocks, ASNs, domains)
 * and contacts with notification preferences. One netblock, ASN or domain belongs to one constituent
 * (409 names the holder); nested blocks across constituents are allowed (the most specific wins).
 */
export function createConstituentsService(deps: {
  db: Db;
  audit: AuditService;
  clock: Clock;
  /** Puts contacts' public keys in the team's key store, so notices to them are encrypted (called after the save commits). */
  storeContactKeys?: (actor: Actor, armored: string[]) => Promise<void>;
}) {
  const { db, audit, clock } = deps;
  const repo = createConstituentsRepository();

  /**
   * A contact's PGP key must be one readable public key carrying the contact's address: mail is
   * encrypted to the key found by the recipient's address, so a key for another address would
   * silently leave the notices unencrypted.
   */
  async function checkContactKeys(contacts: readonly ContactInput[] | undefined, problems: FieldProblem[]): Promise<void> {
    for (const [i, c] of (contacts ?? []).entries()) {
      if (!c.pgpKey) continue;
      const field = `contacts[${i}].pgpKey`;
      // Several armoured blocks pasted together: only the first would be read.
      const blocks = c.pgpKey.split('-----BEGIN PGP PUBLIC KEY BLOCK-----').length - 1;
      const keys = await readPublicKeys(c.pgpKey).catch(() => null);
      if (!keys || keys.length !== 1 || blocks > 1) {
        problems.push({ field, code: keys ? 'pgp_key_not_one' : 'pgp_key_unreadable' });
        continue;
      }
      const info = await describePublicKey(keys[0]!, clock.now());
      if (!info.emails.includes(c.email.trim().toLowerCase())) problems.push({ field, code: 'pgp_key_other_address', message: info.emails.join(', ') });
      else if (info.revoked || !info.canEncrypt || (info.expiresAt !== null && info.expiresAt <= clock.now())) problems.push({ field, code: 'pgp_key_unusable' });
    }
  }

  /** The repository's replace, refusing (and so rolling back) contact ids that are not this constituent's. */
  async function replaceContacts(trx: Db, id: string, contacts: ContactInput[]): Promise<void> {
    const unknown = await repo.replaceContacts(trx, id, contacts);
    if (unknown.length) throw new Invalid('validation_failed', undefined, { details: unknown.map((i) => ({ field: `contacts[${i}].id`, code: 'unknown_contact', message: contacts[i]!.id ?? '' })) });
  }

  async function storeKeys(actor: Actor, contacts: readonly ContactInput[] | undefined): Promise<void> {
    const armored = (contacts ?? []).map((c) => c.pgpKey).filter((k): k is string => typeof k === 'string' && k !== '');
    if (armored.length && deps.storeContactKeys) await deps.storeContactKeys(actor, armored);
  }

  async function checkPartner(partnerId: string | null | undefined, problems: FieldProblem[], field = 'partnerId'): Promise<void> {
    if (!partnerId) return;
    const p = await db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
    if (!p) problems.push({ field, code: 'unknown_partner', message: partnerId });
  }

  async function ensureFree(executor: Db, scope: NormalisedScope, exceptId: string | null): Promise<void> {
    const holders = await repo.holders(executor, scope, exceptId);
    // The field names the entry's position in the list as sent (not in the cleaned-up list).
    const fieldOf = (h: Holder) => {
      const kind = h.kind === 'netblock' ? 'netblocks' : h.kind === 'asn' ? 'asns' : 'domains';
      return `${kind}[${scope.origin?.get(`${kind}:${h.value}`) ?? (kind === 'netblocks' ? scope.netblocks : kind === 'asns' ? scope.asns.map(String) : scope.domains).indexOf(h.value)}]`;
    };
    if (holders.length) throw conflictOf(holders, fieldOf);
  }

  async function getRow(id: string): Promise<Row<'constituents'>> {
    const r = await db.selectFrom('constituents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFound('not_found');
    return r;
  }

  /** One constituent with its contacts, unaudited (returned to whoever just wrote them). */
  async function loadOne(id: string): Promise<Constituent> {
    return (await repo.load(db, [await getRow(id)]))[0]!;
  }

  return {
    /**
     * Constituents with their scope and the number of contacts, not the contacts (an empty list):
     * the list feeds pickers and filters all over the console, which need none, and contacts are
     * personal data whose reads are audited — read one constituent for them.
     */
    async list(actor: Actor, opts: { q?: string | undefined; limit: number }): Promise<Constituent[]> {
      authorize(actor, 'constituent:list');
      let q = db.selectFrom('constituents').selectAll().orderBy('name').limit(opts.limit);
      if (actor.kind === 'user' && actor.role === 'constituent') q = q.where('id', '=', actor.organisationId ?? '');
      if (opts.q) q = q.where('name', 'like', `%${opts.q}%`);
      return repo.load(db, await q.execute(), { contacts: false });
    },

    /** One constituent with its contacts; a person reading contacts is audited (`constituent.read_contacts`). */
    async get(actor: Actor, id: string): Promise<Constituent> {
      authorize(actor, 'constituent:read', { id });
      const c = await loadOne(id);
      if (actor.kind === 'user' && c.contacts.length > 0) await audit.recordAlone(actor, { action: 'constituent.read_contacts', targetType: 'constituent', targetId: id, details: { contacts: c.contacts.length } });
      return c;
    },

    async create(actor: Actor, input: ConstituentInput): Promise<Constituent> {
      authorize(actor, 'constituent:manage');
      const problems: FieldProblem[] = [];
      await checkPartner(input.partnerId, problems);
      await checkContactKeys(input.contacts, problems);
      const scope = normaliseScope(input, problems);
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
      const id = uuidv7();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await ensureFree(trx, scope, null);
        await trx.insertInto('constituents').values({ id, name: input.name.trim(), sector: input.sector, partner_id: input.partnerId ?? null, created_at: now, updated_at: now }).execute();
        await repo.replaceScope(trx, id, scope, now);
        await replaceContacts(trx, id, input.contacts ?? []);
        await audit.record(trx, actor, { action: 'constituent.create', targetType: 'constituent', targetId: id, details: { name: input.name, netblocks: scope.netblocks.length, asns: scope.asns.length, domains: scope.domains.length, contacts: input.contacts?.length ?? 0 } });
      });
      await storeKeys(actor, input.contacts);
      return loadOne(id);
    },

    async update(actor: Actor, id: string, patch: ConstituentPatch): Promise<Constituent> {
      authorize(actor, 'constituent:manage');
      await getRow(id);
      const problems: FieldProblem[] = [];
      await checkPartner(patch.partnerId, problems);
      await checkContactKeys(patch.contacts, problems);
      const scope = normaliseScope(patch, problems);
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await ensureFree(trx, scope, id);
        await trx
          .updateTable('constituents')
          .set({ ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.sector !== undefined ? { sector: patch.sector } : {}), ...(patch.partnerId !== undefined ? { partner_id: patch.partnerId } : {}), updated_at: now })
          .where('id', '=', id)
          .execute();
        await repo.replaceScope(trx, id, { ...(patch.netblocks ? { netblocks: scope.netblocks } : {}), ...(patch.asns ? { asns: scope.asns } : {}), ...(patch.domains ? { domains: scope.domains } : {}) }, now);
        if (patch.contacts) await replaceContacts(trx, id, patch.contacts);
        await audit.record(trx, actor, { action: 'constituent.update', targetType: 'constituent', targetId: id, details: { fields: Object.keys(patch) } });
      });
      await storeKeys(actor, patch.contacts);
      return loadOne(id);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'constituent:manage');
      const row = await getRow(id);
      await db.transaction().execute(async (trx) => {
        for (const t of ['constituent_netblocks', 'constituent_asns', 'constituent_domains', 'constituent_contacts'] as const) await trx.deleteFrom(t).where('constituent_id', '=', id).execute();
        await trx.deleteFrom('constituents').where('id', '=', id).execute();
        await audit.record(trx, actor, { action: 'constituent.delete', targetType: 'constituent', targetId: id, details: { name: row.name } });
      });
    },

    /**
     * CSV import, all or nothing: every row is checked first (errors name the line), and nothing is
     * stored unless all rows are valid. Rows with the same name are one constituent (one row per
     * contact). A name that exists updates that constituent (its scope lists are replaced, and its
     * contacts when the file lists any; contacts keep their ids by address); other names create
     * constituents.
     */
    async importCsv(actor: Actor, text: string): Promise<{ created: number; updated: number; rows: number }> {
      authorize(actor, 'constituent:manage');
      const problems: FieldProblem[] = [];
      const rows = parseConstituentsCsv(text, problems);
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
      const partners = await db.selectFrom('partners').select(['id', 'short_name']).execute();
      const existing = new Map((await db.selectFrom('constituents').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
      const claimed = new Map<string, number>(); // scope entry → line that claims it
      type Plan = { line: number; id: string | null; name: string; sector: string; partnerId: string | null; scope: NormalisedScope; contacts: ContactInput[]; emails: Set<string> };
      const plans: Plan[] = [];
      const planOf = new Map<string, Plan>();
      for (const row of rows) {
        const at = `line ${row.line}`;
        const before = problems.length;
        // A row with a name seen before adds to that constituent (one row per contact).
        const first = row.name ? planOf.get(row.name) : undefined;
        if (!row.name) problems.push({ field: `${at}: name`, code: 'required' });
        if (first && row.sector && row.sector !== first.sector) problems.push({ field: `${at}: sector`, code: 'differs_from_first_row', message: `line ${first.line}` });
        else if (!first && !(SECTORS as readonly string[]).includes(row.sector)) problems.push({ field: `${at}: sector`, code: 'unknown_sector', message: row.sector });
        let partnerId: string | null = first?.partnerId ?? null;
        if (row.partner) {
          const named = partners.find((p) => p.short_name.toLowerCase() === row.partner.toLowerCase() || p.id === row.partner)?.id ?? null;
          if (!named) problems.push({ field: `${at}: partner`, code: 'unknown_partner', message: row.partner });
          else if (first && first.partnerId !== named) problems.push({ field: `${at}: partner`, code: 'differs_from_first_row', message: `line ${first.line}` });
          partnerId = named;
        }
        const scope = normaliseScope({ netblocks: row.netblocks, asns: row.asns, domains: row.domains }, problems, `${at}: `);
        const c = contactOfRow(row);
        if (c) {
          if (!EMAIL.test(c.email ?? '')) problems.push({ field: `${at}: contact_email`, code: 'invalid_email', message: c.email ?? '' });
          else if (first?.emails.has(c.email!.toLowerCase())) problems.push({ field: `${at}: contact_email`, code: 'duplicate_contact', message: c.email ?? '' });
          if (!['zh-TW', 'en'].includes(c.language ?? '')) problems.push({ field: `${at}: contact_language`, code: 'invalid_language', message: c.language ?? '' });
          if (!(NOTIFY_MODES as readonly string[]).includes(c.notifyMode ?? '')) problems.push({ field: `${at}: notify_mode`, code: 'invalid_notify_mode', message: c.notifyMode ?? '' });
          if (!(TLP_VALUES as readonly string[]).includes(c.tlpCeiling ?? '')) problems.push({ field: `${at}: tlp_ceiling`, code: 'invalid_tlp', message: c.tlpCeiling ?? '' });
        }
        for (const v of [...scope.netblocks, ...scope.asns.map((a) => `AS${a}`), ...scope.domains]) {
          const other = claimed.get(v);
          if (other !== undefined) problems.push({ field: `${at}: ${v}`, code: 'held_by_other', message: `line ${other}` });
          else claimed.set(v, row.line);
        }
        if (problems.length !== before) continue;
        if (first) {
          first.scope.netblocks.push(...scope.netblocks);
          first.scope.asns.push(...scope.asns);
          first.scope.domains.push(...scope.domains);
          first.partnerId = partnerId;
          if (c) {
            first.contacts.push(c as ContactInput);
            first.emails.add(c.email!.toLowerCase());
          }
          continue;
        }
        const plan: Plan = { line: row.line, id: existing.get(row.name) ?? null, name: row.name, sector: row.sector, partnerId, scope, contacts: c ? [c as ContactInput] : [], emails: new Set(c ? [c.email!.toLowerCase()] : []) };
        plans.push(plan);
        planOf.set(row.name, plan);
      }
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
      const now = clock.now().toISOString();
      const inFile = new Set(plans.map((p) => p.id).filter((x): x is string => x !== null));
      let created = 0;
      let updated = 0;
      await db.transaction().execute(async (trx) => {
        // One look-up for the whole file; a holder that is updated in the same file may give up its entries.
        const lineOf = new Map<string, { line: number; id: string | null }>();
        for (const p of plans) for (const v of [...p.scope.netblocks, ...p.scope.asns.map(String), ...p.scope.domains]) lineOf.set(v, { line: p.line, id: p.id });
        const all = { netblocks: plans.flatMap((p) => p.scope.netblocks), asns: plans.flatMap((p) => p.scope.asns), domains: plans.flatMap((p) => p.scope.domains) };
        for (const h of await repo.holders(trx, all, null)) {
          const at = lineOf.get(h.value)!;
          if (inFile.has(h.constituentId) || h.constituentId === at.id) continue;
          problems.push({ field: `line ${at.line}: ${h.value}`, code: 'held_by_other', message: `${h.constituentName} (${h.constituentId})` });
        }
        problems.sort((a, b) => Number(/\d+/.exec(a.field)?.[0]) - Number(/\d+/.exec(b.field)?.[0]));
        if (problems.length) throw new Conflict('constituent_scope_taken', undefined, { params: { value: problems[0]!.field, holder: problems[0]!.message ?? '' }, details: problems });
        for (const p of plans) await repo.replaceScope(trx, p.id ?? '', { netblocks: [], asns: [], domains: [] }, now);
        for (const p of plans) {
          const id = p.id ?? uuidv7();
          if (p.id) {
            await trx.updateTable('constituents').set({ sector: p.sector, partner_id: p.partnerId, updated_at: now }).where('id', '=', id).execute();
            updated++;
          } else {
            await trx.insertInto('constituents').values({ id, name: p.name, sector: p.sector, partner_id: p.partnerId, created_at: now, updated_at: now }).execute();
            created++;
          }
          await repo.replaceScope(trx, id, p.scope, now);
          // A file without contacts for a constituent leaves its contacts as they are.
          if (p.contacts.length) await repo.replaceContacts(trx, id, p.contacts);
        }
        await audit.record(trx, actor, { action: 'constituent.import', targetType: 'constituent', targetId: null, details: { rows: plans.length, created, updated } });
      });
      return { created, updated, rows: rows.length };
    },

    async exportCsv(actor: Actor): Promise<string> {
      authorize(actor, 'constituent:export');
      const items = await repo.load(db, await db.selectFrom('constituents').selectAll().orderBy('name').execute());
      const partners = new Map((await db.selectFrom('partners').select(['id', 'short_name']).execute()).map((p) => [p.id, p.short_name]));
      // The file carries every contact (personal data): who took it is audited.
      await audit.recordAlone(actor, { action: 'constituent.export', targetType: 'constituent', targetId: null, details: { count: items.length, contacts: items.reduce((n, c) => n + c.contacts.length, 0) } });
      return renderConstituentsCsv(items, (id) => (id ? (partners.get(id) ?? '') : ''));
    },

    /** Every constituent's scope, for the feed matcher. */
    scopes: () => repo.allScopes(db),
  };
}

export type ConstituentsService = ReturnType<typeof createConstituentsService>;
