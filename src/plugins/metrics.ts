import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';

/**
 * Prometheus text metrics for operators: request counts by route and status class, request
 * duration sums, and queue/backlog gauges read from the database at scrape time.
 */
export function createMetrics(app: FastifyInstance) {
  const requests = new Map<string, number>();
  const durations = new Map<string, { sum: number; count: number }>();
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `method="${req.method}",route="${route}",status="${Math.floor(reply.statusCode / 100)}xx"`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const d = durations.get(route) ?? { sum: 0, count: 0 };
    d.sum += reply.elapsedTime / 1000;
    d.count++;
    durations.set(route, d);
  });
  return {
    async render(c: Container): Promise<string> {
      const lines: string[] = ['# HELP tocsin_http_requests_total HTTP requests by route and status class', '# TYPE tocsin_http_requests_total counter'];
      for (const [k, v] of requests) lines.push(`tocsin_http_requests_total{${k}} ${v}`);
      lines.push('# HELP tocsin_http_request_duration_seconds Time spent answering, by route', '# TYPE tocsin_http_request_duration_seconds summary');
      for (const [route, d] of durations) {
        lines.push(`tocsin_http_request_duration_seconds_sum{route="${route}"} ${d.sum}`, `tocsin_http_request_duration_seconds_count{route="${route}"} ${d.count}`);
      }
      const jobs = await c.db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      lines.push('# HELP tocsin_jobs Jobs in the durable queue by state', '# TYPE tocsin_jobs gauge');
      for (const j of jobs) lines.push(`tocsin_jobs{state="${j.state}"} ${Number(j.n)}`);
      const open = await c.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'in', ['new', 'triage', 'in_progress', 'waiting']).where('merged_into_id', 'is', null).executeTakeFirstOrThrow();
      const overdue = await c.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('next_deadline_at', '<', c.clock.now().toISOString()).where('merged_into_id', 'is', null).executeTakeFirstOrThrow();
      lines.push('# TYPE tocsin_incidents_open gauge', `tocsin_incidents_open ${Number(open.n)}`, '# TYPE tocsin_incidents_overdue gauge', `tocsin_incidents_overdue ${Number(overdue.n)}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
