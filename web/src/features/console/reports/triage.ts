import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.js';
import type { IncidentDetail } from '../types.js';

export interface NewIncident {
  title: string;
  reportIds: string[];
  rsitClass?: string;
  rsitType?: string;
  tlp?: string;
  level?: number;
}

/** Triage actions on reports; every success refreshes the queues. */
export function useTriage() {
  const client = useQueryClient();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: ['reports'] }), client.invalidateQueries({ queryKey: ['incidents'] })]);
  return {
    createIncident: useMutation({
      mutationFn: (input: NewIncident) => api.post<IncidentDetail>('/incidents', input),
      onSuccess: refresh,
    }),
    link: useMutation({
      mutationFn: ({ incidentId, reportIds }: { incidentId: string; reportIds: string[] }) =>
        api.post<void>('/reports/bulk', { ids: reportIds, action: 'link', incidentId }),
      onSuccess: refresh,
    }),
    reject: useMutation({
      mutationFn: ({ reportIds, reason, note }: { reportIds: string[]; reason: 'spam' | 'rejected'; note?: string }) =>
        api.post<void>('/reports/bulk', { ids: reportIds, action: reason === 'spam' ? 'spam' : 'reject', ...(note ? { note } : {}) }),
      onSuccess: refresh,
    }),
  };
}
