import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import type { Constituent, Partner, User } from '../types.js';

export function usePartners() {
  return useQuery({ queryKey: ['partners'], queryFn: () => api.get<Partner[]>('/partners'), staleTime: 5 * 60_000 });
}

export function useConstituents(q = '') {
  return useQuery({
    queryKey: ['constituents', q],
    queryFn: () => api.get<Constituent[]>('/constituents', { query: { q: q || undefined, limit: 500 } }),
    staleTime: 5 * 60_000,
  });
}

/** Users, for owner names; only administrators may list them, so others get an empty list. */
export function useUsers(enabled: boolean) {
  return useQuery({ queryKey: ['users'], queryFn: () => api.get<User[]>('/users'), enabled, staleTime: 5 * 60_000, retry: false });
}

export function usePartnerName() {
  const { i18n } = useTranslation();
  const { data } = usePartners();
  return (id: string) => {
    const partner = data?.find((p) => p.id === id);
    if (!partner) return id.slice(0, 8);
    return `${partner.shortName} · ${i18n.language === 'en' ? partner.nameEn : partner.nameZh}`;
  };
}
