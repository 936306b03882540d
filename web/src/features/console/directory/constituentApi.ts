import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import i18n from '../../../i18n/index.js';
import { ApiError, api, buildUrl, toApiError } from '../../../lib/api.js';
import type { Constituent, ConstituentImportResult, Page } from '../types.js';

/** One harmonised event (GET /events; src/modules/feeds/feeds.schemas.ts), the fields this page shows. */
export interface FeedEvent {
  id: string;
  'feed.name': string;
  'classification.taxonomy': string;
  'classification.type': string;
  'source.ip': string | null;
  'source.port': number | null;
  'source.fqdn': string | null;
  'source.url': string | null;
  sightings: number;
  firstSeen: string;
  lastSeen: string;
  noticeId: string | null;
}

/** One notice (GET /notices; src/modules/feeds/feeds.routes.ts), the fields this page shows. */
export interface Notice {
  id: string;
  constituentId: string;
  recipient: string;
  subject: string;
  state: string;
  eventCount: number;
  createdAt: string;
}

export const constituentKey = (id: string) => ['constituent', id] as const;

export function useConstituent(id: string, enabled = true) {
  return useQuery({ queryKey: constituentKey(id), queryFn: () => api.get<Constituent>(`/constituents/${id}`), enabled });
}

const PAGE = 50;

export function useConstituentEvents(constituentId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['events', { constituentId }],
    queryFn: ({ pageParam }) => api.get<Page<FeedEvent>>('/events', { query: { constituentId, limit: PAGE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useConstituentNotices(constituentId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['notices', { constituentId }],
    queryFn: ({ pageParam }) => api.get<Page<Notice>>('/notices', { query: { constituentId, limit: PAGE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/**
 * POST /constituents/import takes the CSV as a text/csv body, which the JSON client does not send;
 * this request carries the session's CSRF token itself and reads errors the same way.
 */
export async function importConstituentsCsv(csv: string, csrfToken: string): Promise<ConstituentImportResult> {
  let response: Response;
  try {
    response = await fetch(buildUrl('/constituents/import'), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.language || 'zh-TW', 'Content-Type': 'text/csv; charset=utf-8', 'x-csrf-token': csrfToken },
      body: csv,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('errors.network'));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) throw toApiError(response.status, body, i18n.t('errors.http', { status: response.status }));
  return body as ConstituentImportResult;
}

export const EXPORT_URL = buildUrl('/constituents/export.csv');
