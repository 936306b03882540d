import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/time.js';
import { authorize, type Actor } from '../auth/policy.js';

export interface Stats {
  from: string;
  to: string;
  incidents: number;
  reports: number;
  byRsitClass: Record<string, number>;
  byLevel: Record<string, number>;
  bySector: Record<string, number>;
  byChannel: Record<string, number>;
  byMonth: Record<string, number>;
  medianFirstResponseMinutes: number | null;
  deadlines: { total: number; met: number; metOnTime: number; overdueOpen: number };
}

const tally = (rows: { k: string | number | null; n: number | string }[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.k === null ? 'unset' : String(r.k), Number(r.n)]));

/** The numbers a CERT puts in its annual report (資安年報), for a period. */
export function createStatsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async compute(actor: Actor, range: { from?: string | undefined; to?: string | undefined }): Promise<Stats> {
      authorize(actor, 'stats:read');
      const to = range.to ? new Date(range.to).toISOString() : clock.now().toISOString();
      const from = range.from ? new Date(range.from).toISOString() : new Date(Date.parse(to) - 365 * 86_400_000).toISOString();
      const inc = db.selectFrom('incidents').where('merged_into_id', 'is', null).where('created_at', '>=', from).where('created_at', '<', to);
      const rep = db.selectFrom('reports').where('created_at', '>=', from).where('created_at', '<', to);
      const [byClass, byLevel, bySector, byChannel, months, totals, reportTotal, responses, deadlineRows] = await Promise.all([
        inc.select(['rsit_class as k', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('rsit_class').execute(),
        inc.select(['level as k', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('level').execute(),
        inc.select(['sector as k', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('sector').execute(),
        rep.select(['channel as k', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('channel').execute(),
        inc.select([sql<string>`substr(created_at, 1, 7)`.as('k'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(sql`substr(created_at, 1, 7)`).execute(),
        inc.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        rep.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        inc.select(['created_at', 'first_response_at']).where('first_response_at', 'is not', null).execute(),
        db.selectFrom('deadlines').innerJoin('incidents', 'incidents.id', 'deadlines.incident_id').where('incidents.merged_into_id', 'is', null).where('incidents.created_at', '>=', from).where('incidents.created_at', '<', to).select(['deadlines.due_at', 'deadlines.met_at', 'incidents.state']).execute(),
      ]);
      const minutes = responses.map((r) => (Date.parse(r.first_response_at!) - Date.parse(r.created_at)) / 60_000).sort((a, b) => a - b);
      const median = minutes.length ? (minutes.length % 2 ? minutes[(minutes.length - 1) / 2]! : (minutes[minutes.length / 2 - 1]! + minutes[minutes.length / 2]!) / 2) : null;
      const now = clock.now().toISOString();
      const met = deadlineRows.filter((d) => d.met_at !== null);
      return {
        from,
        to,
        incidents: Number(totals.n),
        reports: Number(reportTotal.n),
        byRsitClass: tally(byClass),
        byLevel: tally(byLevel),
        bySector: tally(bySector),
        byChannel: tally(byChannel),
        byMonth: tally(months),
        medianFirstResponseMinutes: median === null ? null : Math.round(median),
        deadlines: {
          total: deadlineRows.length,
          met: met.length,
          metOnTime: met.filter((d) => d.met_at! <= d.due_at).length,
          overdueOpen: deadlineRows.filter((d) => d.met_at === null && d.due_at < now && d.state !== 'closed' && d.state !== 'rejected').length,
        },
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
