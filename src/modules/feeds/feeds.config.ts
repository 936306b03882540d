import { int, type Env } from '../../lib/env.js';

/** Feed and notice settings from the environment (validated with the rest of the configuration). */
export interface FeedsConfig {
  /** Largest feed file accepted (bytes). */
  maxFeedBytes: number;
  /** Deduplication window: the same feed, type and source within it is one event. */
  dedupWindowHours: number;
  /** Unacknowledged notices become incidents after this long. */
  escalateAfterHours: number;
  /** Where notices for routed sectors go: the organisation, its partner CERT, or both. */
  sectorRouting: 'organisation' | 'partner' | 'both';
  routedSectors: string[];
  /** Feeds by URL: the whole fetch (headers and body) must end within this long. */
  pollTimeoutMs: number;
  /** Feeds by URL: the response headers (DNS, connect, TLS, server) must arrive within this long. */
  pollConnectTimeoutMs: number;
  /** Feeds by URL: redirects followed at most (each hop http or https only). */
  pollMaxRedirects: number;
  /** Feeds by URL: sources fetched at once by one poll run. */
  pollConcurrency: number;
  /** Events last seen longer ago than this are deleted daily; 0 keeps them for ever. */
  eventRetentionDays: number;
  /** Stored feed files of imports finished longer ago than this are deleted daily; 0 keeps them. */
  fileRetentionDays: number;
}


/** Retention must outlast the deduplication window, or a host still being seen would become a new event. */
function retention(e: Env, windowHours: number, problems: string[]): number {
  const days = int(e, 'TOCSIN_EVENT_RETENTION_DAYS', 0, problems, 0, 36_500);
  if (days > 0 && days * 24 < windowHours) problems.push(`TOCSIN_EVENT_RETENTION_DAYS (${days}) must be at least the deduplication window (TOCSIN_FEED_DEDUP_WINDOW_HOURS=${windowHours})`);
  return days;
}

export function feedsConfig(e: Env, problems: string[]): FeedsConfig {
  const routing = e.TOCSIN_NOTICE_SECTOR_ROUTING || 'organisation';
  if (routing !== 'organisation' && routing !== 'partner' && routing !== 'both') problems.push(`TOCSIN_NOTICE_SECTOR_ROUTING must be organisation, partner or both (got "${routing}")`);
  const dedupWindowHours = int(e, 'TOCSIN_FEED_DEDUP_WINDOW_HOURS', 24, problems, 1, 24 * 366);
  return {
    maxFeedBytes: int(e, 'TOCSIN_FEED_MAX_BYTES', 2 * 1024 ** 3, problems, 1, Number.MAX_SAFE_INTEGER),
    dedupWindowHours,
    escalateAfterHours: int(e, 'TOCSIN_NOTICE_ESCALATE_HOURS', 72, problems, 1, 24 * 366),
    sectorRouting: routing === 'partner' || routing === 'both' ? routing : 'organisation',
    pollTimeoutMs: int(e, 'TOCSIN_FEED_POLL_TIMEOUT_SECONDS', 300, problems, 1, 6 * 3600) * 1000,
    pollConnectTimeoutMs: int(e, 'TOCSIN_FEED_POLL_CONNECT_TIMEOUT_SECONDS', 30, problems, 1, 600) * 1000,
    pollMaxRedirects: int(e, 'TOCSIN_FEED_POLL_MAX_REDIRECTS', 5, problems, 0, 20),
    pollConcurrency: int(e, 'TOCSIN_FEED_POLL_CONCURRENCY', 4, problems, 1, 64),
    eventRetentionDays: retention(e, dedupWindowHours, problems),
    fileRetentionDays: int(e, 'TOCSIN_FEED_FILE_RETENTION_DAYS', 0, problems, 0, 36_500),
    routedSectors: (e.TOCSIN_NOTICE_ROUTED_SECTORS ?? 'government,education,isp').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
