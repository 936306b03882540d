import type { Db, NewRow, Row, RowUpdate } from '../../db/database.js';
import type { Deadline } from './deadlines.js';

export type IncidentRow = Row<'incidents'>;

export interface IncidentFilter {
  state?: string[] | undefined;
  level?: number | undefined;
  rsitClass?: string | undefined;
  ownerId?: string | undefined;
  constituentId?: string | undefined;
  sector?: string | undefined;
  tlp?: string | undefined;
  channel?: string | undefined;
  overdueAt?: string | undefined; // ISO now: only incidents whose next deadline has passed
  partnerId?: string | undefined; // only incidents handed to this partner
  q?: string | undefined;
  sort: 'deadline' | 'created' | 'updated';
  /** Keyset cursor: the sort key and id of the last row of the previous page. */
  after?: { key: string | null; id: string } | undefined;
  limit: number;
}

export function createIncidentsRepository() {
  return {
    async insert(db: Db, row: NewRow<'incidents'>): Promise<void> {
      await db.insertInto('incidents').values(row).execute();
    },
    async byId(db: Db, id: string): Promise<IncidentRow | undefined> {
      return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async update(db: Db, id: string, patch: RowUpdate<'incidents'>): Promise<void> {
      await db.updateTable('incidents').set(patch).where('id', '=', id).execute();
    },
    async list(db: Db, f: IncidentFilter): Promise<IncidentRow[]> {
      const col = f.sort === 'deadline' ? 'next_deadline_at' : f.sort === 'created' ? 'created_at' : 'updated_at';
      let q = db.selectFrom('incidents').selectAll().where('merged_into_id', 'is', null);
      if (f.state?.length) q = q.where('state', 'in', f.state);
      if (f.level !== undefined) q = q.where('level', '=', f.level);
      if (f.rsitClass) q = q.where('rsit_class', '=', f.rsitClass);
      if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
      if (f.constituentId) q = q.where('constituent_id', '=', f.constituentId);
      if (f.sector) q = q.where('sector', '=', f.sector);
      if (f.tlp) q = q.where('tlp', '=', f.tlp);
      if (f.overdueAt) q = q.where('next_deadline_at', '<', f.overdueAt);
      if (f.channel) {
        const channel = f.channel;
        q = q.where((eb) => eb.exists(eb.selectFrom('reports').select('reports.id').whereRef('reports.incident_id', '=', 'incidents.id').where('reports.channel', '=', channel)));
      }
      if (f.partnerId) {
        const partnerId = f.partnerId;
        q = q.where((eb) => eb.exists(eb.selectFrom('handoffs').select('handoffs.id').whereRef('handoffs.incident_id', '=', 'incidents.id').where('handoffs.partner_id', '=', partnerId)));
      }
      if (f.q) {
        const like = `%${f.q}%`;
        q = q.where((eb) => eb.or([eb('number', 'like', like), eb('title', 'like', like)]));
      }
      if (f.sort === 'deadline') {
        // Soonest deadline first; incidents without one go last. NULLs are encoded as a high key.
        const after = f.after;
        if (after) {
          q = after.key === null
            ? q.where((eb) => eb.and([eb(col, 'is', null), eb('id', '>', after.id)]))
            : q.where((eb) => eb.or([eb(col, '>', after.key), eb(col, 'is', null), eb.and([eb(col, '=', after.key), eb('id', '>', after.id)])]));
        }
        q = q.orderBy((eb) => eb.case().when(col, 'is', null).then(1).else(0).end()).orderBy(col, 'asc').orderBy('id', 'asc');
      } else {
        const after = f.after;
        if (after?.key) q = q.where((eb) => eb.or([eb(col, '<', after.key!), eb.and([eb(col, '=', after.key!), eb('id', '<', after.id)])]));
        q = q.orderBy(col, 'desc').orderBy('id', 'desc');
      }
      return q.limit(f.limit).execute();
    },
    async count(db: Db): Promise<number> {
      const r = await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into_id', 'is', null).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async deadlines(db: Db, incidentId: string): Promise<Deadline[]> {
      const rows = await db.selectFrom('deadlines').select(['kind', 'due_at', 'met_at']).where('incident_id', '=', incidentId).orderBy('due_at').execute();
      return rows.map((r) => ({ kind: r.kind as Deadline['kind'], dueAt: r.due_at, metAt: r.met_at }));
    },
    async replaceDeadlines(db: Db, incidentId: string, level: number, deadlines: Deadline[], newId: () => string): Promise<void> {
      await db.deleteFrom('deadlines').where('incident_id', '=', incidentId).execute();
      await db.insertInto('deadlines').values(deadlines.map((d) => ({ id: newId(), incident_id: incidentId, kind: d.kind, due_at: d.dueAt, met_at: d.metAt, level }))).execute();
    },

    async addHistory(db: Db, row: NewRow<'incident_history'>): Promise<void> {
      await db.insertInto('incident_history').values(row).execute();
    },
    async history(db: Db, incidentId: string): Promise<Row<'incident_history'>[]> {
      return db.selectFrom('incident_history').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
    },

    async insertComment(db: Db, row: NewRow<'comments'>): Promise<void> {
      await db.insertInto('comments').values(row).execute();
    },
    async comments(db: Db, incidentId: string): Promise<Row<'comments'>[]> {
      return db.selectFrom('comments').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('id').execute();
    },

    async insertTask(db: Db, row: NewRow<'tasks'>): Promise<void> {
      await db.insertInto('tasks').values(row).execute();
    },
    async task(db: Db, id: string): Promise<Row<'tasks'> | undefined> {
      return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async updateTask(db: Db, id: string, patch: RowUpdate<'tasks'>): Promise<void> {
      await db.updateTable('tasks').set(patch).where('id', '=', id).execute();
    },
    async tasks(db: Db, incidentId: string): Promise<Row<'tasks'>[]> {
      return db.selectFrom('tasks').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').execute();
    },

    async insertHandoff(db: Db, row: NewRow<'handoffs'>): Promise<void> {
      await db.insertInto('handoffs').values(row).execute();
    },
    async handoff(db: Db, id: string): Promise<Row<'handoffs'> | undefined> {
      return db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async updateHandoff(db: Db, id: string, patch: RowUpdate<'handoffs'>): Promise<void> {
      await db.updateTable('handoffs').set(patch).where('id', '=', id).execute();
    },
    async handoffs(db: Db, incidentId: string): Promise<Row<'handoffs'>[]> {
      return db.selectFrom('handoffs').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').execute();
    },
    async handedTo(db: Db, incidentId: string): Promise<string[]> {
      const rows = await db.selectFrom('handoffs').select('partner_id').where('incident_id', '=', incidentId).execute();
      return rows.map((r) => r.partner_id);
    },
    async insertFeedback(db: Db, row: NewRow<'handoff_feedback'>): Promise<void> {
      await db.insertInto('handoff_feedback').values(row).execute();
    },
    async feedback(db: Db, handoffIds: string[]): Promise<Row<'handoff_feedback'>[]> {
      if (handoffIds.length === 0) return [];
      return db.selectFrom('handoff_feedback').selectAll().where('handoff_id', 'in', handoffIds).orderBy('created_at').execute();
    },

    async insertMerge(db: Db, row: NewRow<'merges'>): Promise<void> {
      await db.insertInto('merges').values(row).execute();
    },
    async merge(db: Db, id: string): Promise<Row<'merges'> | undefined> {
      return db.selectFrom('merges').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async markMergeUndone(db: Db, id: string, at: string): Promise<void> {
      await db.updateTable('merges').set({ undone_at: at }).where('id', '=', id).execute();
    },
  };
}

export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;
