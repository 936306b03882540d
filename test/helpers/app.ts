import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import type { Dialect } from '../../src/db/connect.js';
import type { Clock } from '../../src/lib/time.js';
import type { Role } from '../../src/modules/auth/policy.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** A clock tests can move: deadlines, lockouts and TOTP steps depend on it. */
export class TestClock implements Clock {
  constructor(private t = Date.parse('2026-03-02T01:00:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export interface TestApp {
  app: FastifyInstance;
  c: Container;
  db: TestDatabase;
  clock: TestClock;
  close(): Promise<void>;
}

export async function buildTestApp(dialect: Dialect, opts: { env?: Record<string, string>; clock?: TestClock } = {}): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const config = loadConfig({ TOCSIN_DATA_DIR: db.dataDir, TOCSIN_WEB_DIST: `${db.dataDir}/no-web`, ...opts.env });
  const clock = opts.clock ?? new TestClock();
  const c = createContainer(config, db.handle, { clock });
  const app = await buildApp(c);
  await app.ready();
  return { app, c, db, clock, close: async () => { await app.close(); await db.dispose(); } };
}

export const PASSWORD = 'correct horse battery staple';
let userSeq = 0;

/** Creates a user directly through the service, as the CLI would. */
export async function createUser(t: TestApp, role: Role, opts: { organisationId?: string | null; username?: string } = {}) {
  const username = opts.username ?? `${role}${++userSeq}`;
  return t.c.auth.createUser({ kind: 'system', component: 'test' }, { username, displayName: username, password: PASSWORD, role, organisationId: opts.organisationId ?? null, email: null, language: 'en' });
}

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

export async function login(t: TestApp, username: string, extra: Record<string, string> = {}): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, ...extra } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((x) => x.name === 'tocsin_session');
  const body = res.json<{ csrfToken: string; user: { id: string } }>();
  return { cookie: `tocsin_session=${cookie!.value}`, csrf: body.csrfToken, userId: body.user.id };
}

/** Injects a request as a signed-in user (cookie plus CSRF header on writes). */
export function as(t: TestApp, s: Session | null, opts: InjectOptions): Promise<LightMyRequestResponse> {
  const headers = { ...(opts.headers ?? {}), ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) };
  return t.app.inject({ ...opts, headers });
}

export function reportBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'web-general',
    category: 'phishing',
    title: 'Fake bank login page',
    description: '收到假冒銀行的釣魚郵件，連到 https://bank-login.example.com/',
    reporter: { name: '王小明', email: 'ming@example.com.tw', phone: '+886 2 1234 5678' },
    assets: ['https://bank-login.example.com/login', '203.0.113.10'],
    ...overrides,
  };
}
