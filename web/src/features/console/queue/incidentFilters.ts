import type { QueryValue } from '../../../lib/api.js';
import { OPEN_STATES } from '../types.js';

/** The incident queue's filters, as they live in the URL (shareable, saved as named filters). */
export interface IncidentFilters {
  state: string; // 'open' | 'all' | one state
  level: string;
  rsitClass: string;
  tlp: string;
  sector: string;
  channel: string;
  constituentId: string;
  owner: string; // '' | 'me' | 'none' | a user id
  overdue: boolean;
  q: string;
  sort: 'deadline' | 'created' | 'updated';
}

export const DEFAULT_FILTERS: IncidentFilters = {
  state: 'open',
  level: '',
  rsitClass: '',
  tlp: '',
  sector: '',
  channel: '',
  constituentId: '',
  owner: '',
  overdue: false,
  q: '',
  sort: 'deadline',
};

const SORTS = ['deadline', 'created', 'updated'] as const;

export function filtersFromParams(params: URLSearchParams): IncidentFilters {
  const sort = params.get('sort');
  return {
    state: params.get('state') ?? DEFAULT_FILTERS.state,
    level: params.get('level') ?? '',
    rsitClass: params.get('rsitClass') ?? '',
    tlp: params.get('tlp') ?? '',
    sector: params.get('sector') ?? '',
    channel: params.get('channel') ?? '',
    constituentId: params.get('constituentId') ?? '',
    owner: params.get('owner') ?? '',
    overdue: params.get('overdue') === 'true',
    q: params.get('q') ?? '',
    sort: SORTS.find((s) => s === sort) ?? 'deadline',
  };
}

/** Only what differs from the defaults goes into the URL. */
export function filtersToParams(filters: IncidentFilters, base?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of Object.keys(DEFAULT_FILTERS) as (keyof IncidentFilters)[]) {
    const value = filters[key];
    if (value === DEFAULT_FILTERS[key]) params.delete(key);
    else params.set(key, String(value));
  }
  return params;
}

/** Query for GET /api/v1/incidents. */
export function filtersToQuery(filters: IncidentFilters, userId: string | undefined): Record<string, QueryValue | QueryValue[]> {
  const state = filters.state === 'open' ? [...OPEN_STATES] : filters.state === 'all' ? undefined : [filters.state];
  const ownerId = filters.owner === 'me' ? userId : filters.owner === '' || filters.owner === 'none' ? undefined : filters.owner;
  return {
    state,
    level: filters.level || undefined,
    rsitClass: filters.rsitClass || undefined,
    tlp: filters.tlp || undefined,
    sector: filters.sector || undefined,
    channel: filters.channel || undefined,
    constituentId: filters.constituentId || undefined,
    ownerId,
    overdue: filters.overdue || undefined,
    q: filters.q.trim() || undefined,
    sort: filters.sort,
  };
}
