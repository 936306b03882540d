/**
 * Baseline for bench/intake: a bare Fastify route with a body schema like the report's, inserting
 * one row per request with the same database driver (node:sqlite in WAL mode with the same
 * synchronous setting, or pg), and nothing else: no audit, no counter, no validation beyond schema.
 */
import { DatabaseSync } from 'node:sqlite';
import Fastify from 'fastify';
import pg from 'pg';
import { randomUUID } from 'node:crypto';

const url = process.env.BARE_DB ?? '/tmp/bare.sqlite';
const app = Fastify();
const body = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'category', 'description'],
  properties: {
    channel: { type: 'string', maxLength: 20 },
    category: { type: 'string', maxLength: 30 },
    title: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 20000 },
    reporter: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } } },
    assets: { type: 'array', items: { type: 'string', maxLength: 4096 }, maxItems: 100 },
  },
};

type Insert = (id: string, json: string) => Promise<void>;
let insert: Insert;
if (url.startsWith('postgres')) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('create table if not exists bare_reports (id text primary key, body text not null, created_at text not null)');
  insert = async (id, json) => {
    await pool.query('insert into bare_reports (id, body, created_at) values ($1, $2, $3)', [id, json, new Date().toISOString()]);
  };
} else {
  const db = new DatabaseSync(url);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${process.env.BARE_SYNC ?? 'FULL'}`);
  db.exec('create table if not exists bare_reports (id text primary key, body text not null, created_at text not null)');
  const stmt = db.prepare('insert into bare_reports (id, body, created_at) values (?, ?, ?)');
  insert = async (id, json) => {
    stmt.run(id, json, new Date().toISOString());
  };
}

app.post('/api/v1/reports', { schema: { body } }, async (req, reply) => {
  const id = randomUUID();
  await insert(id, JSON.stringify(req.body));
  return reply.status(201).send({ id });
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`Tocsin listening on ${address}\n`);
