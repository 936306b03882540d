import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { malwareConfig, type MalwareConfig } from './modules/malware/malware.config.js';
import { feedsConfig, type FeedsConfig } from './modules/feeds/feeds.config.js';
import { int, type Env } from './lib/env.js';

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
  /** Job runner: workers per lane in each process that runs jobs, and how long done jobs are kept. */
  jobs: JobsConfig;
  /** Malware analysis: sample store key, size limits, anonymous allowance, analysis workers. */
  malware: MalwareConfig;
  /** E-mail intake and outbound mail, the team key (see MailConfig). */
  mail: MailConfig;
  feeds: FeedsConfig;
}

/** Mail settings (TOCSIN_SMTP_*, TOCSIN_IMAP_*, TOCSIN_RELAY_*, TOCSIN_MAIL_*, TOCSIN_PGP_PASSPHRASE). */
export interface MailConfig {
  /** The built-in SMTP listener; null when TOCSIN_SMTP_PORT is unset. */
  smtp: { host: string; port: number; tls: { certPath: string; keyPath: string } | null } | null;
  /** Reporting addresses accepted by the listener ("report@cert.example" or a whole domain "@cert.example"). */
  addresses: string[];
  maxMessageBytes: number;
  /** Polling of an existing mailbox; null when TOCSIN_IMAP_URL is unset. */
  imap: { host: string; port: number; secure: boolean; mailbox: string; user: string; password: string; intervalMs: number } | null;
  /** Outbound relay; null when TOCSIN_RELAY_URL is unset (mail then waits in the outbox). */
  relay: { host: string; port: number; secure: boolean; user: string | null; password: string | null } | null;
  /** From address of outbound mail ("Name <address>" or an address); null: the site e-mail setting. */
  from: string | null;
  /** Protects the team key file (data dir/keys/team.asc); required once that file exists. */
  pgpPassphrase: string | null;
  teamKeyPath: string;
  /** Most automatic acknowledgements of new mail reports to one address per hour (0: no limit). */
  autoAckPerHour: number;
}

/** The job runner (TOCSIN_JOB_*). */
export interface JobsConfig {
  /** Jobs of the default lane (mail, analyses, sweeps…) run at once per process. */
  concurrency: number;
  /** Jobs of the bulk lane (feed imports and polls, housekeeping) run at once per process. */
  bulkConcurrency: number;
  /** Done jobs older than this many days are deleted by the daily `jobs.purge`; failed ones are kept. */
  retentionDays: number;
}

export class ConfigError extends Error {}



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
    jobs: {
      concurrency: int(e, 'TOCSIN_JOB_CONCURRENCY', 2, problems, 1, 64),
      bulkConcurrency: int(e, 'TOCSIN_JOB_BULK_CONCURRENCY', 1, problems, 1, 16),
      retentionDays: int(e, 'TOCSIN_JOB_RETENTION_DAYS', 14, problems, 1, 3650),
    },
    malware: malwareConfig(e, dataDir, problems),
    mail: mailConfig(e, dataDir, host, problems),
    feeds: feedsConfig(e, problems),
  };
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}

function mailConfig(e: Env, dataDir: string, host: string, problems: string[]): MailConfig {
  const teamKeyPath = join(dataDir, 'keys', 'team.asc');
  const addresses = (e.TOCSIN_MAIL_ADDRESSES ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  for (const a of addresses) {
    if (!/^([^\s@]+)?@[^\s@]+\.[^\s@]+$/.test(a)) problems.push(`TOCSIN_MAIL_ADDRESSES: "${a}" is neither an address nor @domain`);
  }
  let smtp: MailConfig['smtp'] = null;
  if (e.TOCSIN_SMTP_PORT !== undefined && e.TOCSIN_SMTP_PORT !== '') {
    const port = int(e, 'TOCSIN_SMTP_PORT', 2525, problems, 0, 65535);
    if (addresses.length === 0) problems.push('TOCSIN_MAIL_ADDRESSES must list the reporting address(es) when TOCSIN_SMTP_PORT is set');
    let tls: { certPath: string; keyPath: string } | null = null;
    if (e.TOCSIN_SMTP_TLS_CERT || e.TOCSIN_SMTP_TLS_KEY) {
      if (!e.TOCSIN_SMTP_TLS_CERT || !e.TOCSIN_SMTP_TLS_KEY) problems.push('TOCSIN_SMTP_TLS_CERT and TOCSIN_SMTP_TLS_KEY must be set together');
      else if (!existsSync(e.TOCSIN_SMTP_TLS_CERT) || !existsSync(e.TOCSIN_SMTP_TLS_KEY)) problems.push('TOCSIN_SMTP_TLS_CERT or TOCSIN_SMTP_TLS_KEY names a file that does not exist');
      else tls = { certPath: e.TOCSIN_SMTP_TLS_CERT, keyPath: e.TOCSIN_SMTP_TLS_KEY };
    }
    smtp = { host: e.TOCSIN_SMTP_HOST || host, port, tls };
  }
  let imap: MailConfig['imap'] = null;
  if (e.TOCSIN_IMAP_URL) {
    const u = parseUrl(e.TOCSIN_IMAP_URL, ['imap:', 'imaps:'], 'TOCSIN_IMAP_URL', problems);
    const user = e.TOCSIN_IMAP_USER || (u ? decodeURIComponent(u.username) : '');
    const password = e.TOCSIN_IMAP_PASSWORD || (u ? decodeURIComponent(u.password) : '');
    if (u && (!user || !password)) problems.push('TOCSIN_IMAP_USER and TOCSIN_IMAP_PASSWORD must be set with TOCSIN_IMAP_URL');
    if (u) {
      const secure = u.protocol === 'imaps:';
      imap = {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : secure ? 993 : 143,
        secure,
        mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
        user,
        password,
        intervalMs: int(e, 'TOCSIN_IMAP_INTERVAL_SECONDS', 60, problems, 1, 86400) * 1000,
      };
    }
  }
  let relay: MailConfig['relay'] = null;
  if (e.TOCSIN_RELAY_URL) {
    const u = parseUrl(e.TOCSIN_RELAY_URL, ['smtp:', 'smtps:'], 'TOCSIN_RELAY_URL', problems);
    if (u) {
      const secure = u.protocol === 'smtps:';
      relay = {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : secure ? 465 : 25,
        secure,
        user: e.TOCSIN_RELAY_USER || (u.username ? decodeURIComponent(u.username) : null),
        password: e.TOCSIN_RELAY_PASSWORD || (u.password ? decodeURIComponent(u.password) : null),
      };
    }
  }
  const pgpPassphrase = e.TOCSIN_PGP_PASSPHRASE || null;
  if (existsSync(teamKeyPath) && !pgpPassphrase) problems.push(`TOCSIN_PGP_PASSPHRASE must be set: the team key ${teamKeyPath} exists and is protected by it`);
  if (pgpPassphrase !== null && pgpPassphrase.length < 12) problems.push('TOCSIN_PGP_PASSPHRASE must be at least 12 characters');
  return {
    smtp,
    addresses,
    maxMessageBytes: int(e, 'TOCSIN_MAIL_MAX_BYTES', 25 * 1024 * 1024, problems, 1024),
    imap,
    relay,
    from: e.TOCSIN_MAIL_FROM?.trim() || null,
    pgpPassphrase,
    teamKeyPath,
    autoAckPerHour: int(e, 'TOCSIN_MAIL_AUTOACK_PER_HOUR', 10, problems, 0, 100_000),
  };
}

function parseUrl(value: string, schemes: string[], name: string, problems: string[]): URL | null {
  try {
    const u = new URL(value);
    if (!schemes.includes(u.protocol)) {
      problems.push(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')} (got "${value.replace(/\/\/[^@/]*@/, '//…@')}")`);
      return null;
    }
    return u;
  } catch {
    problems.push(`${name} is not a URL`);
    return null;
  }
}
