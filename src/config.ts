import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';

/**
 * One validated configuration from the environment (flags of the CLI map onto the same names).
 * Invalid configuration stops start-up with one clear message listing every problem.
 */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
  timeZone: string;
  trustProxy: boolean | string;
  tls: { certPath: string; keyPath: string } | null;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  logLevel: string;
  maxAttachmentBytes: number;
  maxAttachments: number;
  maxBodyBytes: number;
  sessionTtlHours: number;
  webDistDir: string;
  /** Run the job queue inside `serve` (default); off when dedicated `tocsin worker` processes do. */
  runJobs: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, problems: string[], min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Record<string, string>> = {}): Config {
  const e: Env = { ...env, ...overrides };
  const problems: string[] = [];
  const host = e.TOCSIN_HOST || '127.0.0.1';
  const port = int(e, 'TOCSIN_PORT', 8080, problems, 0, 65535);
  const dataDir = resolve(e.TOCSIN_DATA_DIR || './data');
  const databaseUrl = e.DATABASE_URL || join(dataDir, 'tocsin.sqlite');
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL) && !e.DATABASE_URL.endsWith('.sqlite')) {
    problems.push(`DATABASE_URL must be a postgres:// URL or a path ending in .sqlite (got "${e.DATABASE_URL}")`);
  }
  const publicUrl = (e.TOCSIN_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    problems.push(`TOCSIN_PUBLIC_URL must be an absolute URL (got "${publicUrl}")`);
  }
  const timeZone = e.TOCSIN_TIME_ZONE || 'Asia/Taipei';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`TOCSIN_TIME_ZONE is not a known time zone (got "${timeZone}")`);
  }
  const tp = e.TOCSIN_TRUST_PROXY;
  const trustProxy = tp === undefined || tp === '' || tp === 'false' ? false : tp === 'true' ? true : tp;
  let tls: Config['tls'] = null;
  if (e.TOCSIN_TLS_CERT || e.TOCSIN_TLS_KEY) {
    if (!e.TOCSIN_TLS_CERT || !e.TOCSIN_TLS_KEY) problems.push('TOCSIN_TLS_CERT and TOCSIN_TLS_KEY must be set together');
    else if (!existsSync(e.TOCSIN_TLS_CERT) || !existsSync(e.TOCSIN_TLS_KEY)) problems.push('TOCSIN_TLS_CERT or TOCSIN_TLS_KEY names a file that does not exist');
    else tls = { certPath: e.TOCSIN_TLS_CERT, keyPath: e.TOCSIN_TLS_KEY };
  }
  const sync = (e.TOCSIN_SQLITE_SYNCHRONOUS || 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') problems.push(`TOCSIN_SQLITE_SYNCHRONOUS must be FULL or NORMAL (got "${sync}")`);
  const config: Config = {
    host,
    port,
    dataDir,
    databaseUrl,
    publicUrl,
    timeZone,
    trustProxy,
    tls,
    sqliteSynchronous: sync === 'NORMAL' ? 'NORMAL' : 'FULL',
    logLevel: e.TOCSIN_LOG_LEVEL || 'info',
    maxAttachmentBytes: int(e, 'TOCSIN_MAX_ATTACHMENT_BYTES', 20 * 1024 * 1024, problems, 1),
    maxAttachments: int(e, 'TOCSIN_MAX_ATTACHMENTS', 10, problems, 0, 100),
    maxBodyBytes: int(e, 'TOCSIN_MAX_BODY_BYTES', 1024 * 1024, problems, 1024),
    sessionTtlHours: int(e, 'TOCSIN_SESSION_TTL_HOURS', 12, problems, 1, 24 * 30),
    webDistDir: resolve(e.TOCSIN_WEB_DIST || 'web/dist'),
    runJobs: e.TOCSIN_RUN_JOBS !== 'false',
  };
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
