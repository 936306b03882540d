import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.js';
import type { HistoryEntry, IncidentDetail } from '../types.js';

export type IncidentPatch = Partial<{
  title: string;
  rsitClass: string | null;
  rsitType: string | null;
  tlp: string;
  level: number | null;
  state: string;
  ownerId: string | null;
  constituentId: string | null;
  sector: string | null;
  advice: string | null;
}>;

export function useIncident(id: string) {
  return useQuery({ queryKey: ['incident', id], queryFn: () => api.get<IncidentDetail>(`/incidents/${id}`) });
}

export function useIncidentHistory(id: string) {
  return useQuery({ queryKey: ['incident', id, 'history'], queryFn: () => api.get<HistoryEntry[]>(`/incidents/${id}/history`) });
}

/** Every change to an incident; each refreshes the incident, its history and the queue. */
export function useIncidentActions(id: string) {
  const client = useQueryClient();
  const refresh = () =>
    Promise.all([client.invalidateQueries({ queryKey: ['incident', id] }), client.invalidateQueries({ queryKey: ['incidents'] }), client.invalidateQueries({ queryKey: ['reports'] })]);
  const base = `/incidents/${id}`;
  return {
    update: useMutation({
      mutationFn: (patch: IncidentPatch) => api.patch<IncidentDetail>(base, patch),
      onSuccess: (incident) => {
        client.setQueryData(['incident', id], incident);
        return refresh();
      },
    }),
    comment: useMutation({
      mutationFn: (input: { body: string; visibility: 'internal' | 'reporter' }) => api.post<{ id: string }>(`${base}/comments`, input),
      onSuccess: refresh,
    }),
    addTask: useMutation({
      mutationFn: (input: { title: string; dueAt?: string }) => api.post<{ id: string }>(`${base}/tasks`, input),
      onSuccess: refresh,
    }),
    updateTask: useMutation({
      mutationFn: ({ taskId, ...patch }: { taskId: string; done?: boolean; title?: string }) => api.patch<void>(`/tasks/${taskId}`, patch),
      onSuccess: refresh,
    }),
    handoff: useMutation({
      mutationFn: (input: { partnerId: string; note: string }) => api.post<{ id: string }>(`${base}/handoffs`, input),
      onSuccess: refresh,
    }),
    feedback: useMutation({
      mutationFn: ({ handoffId, ...input }: { handoffId: string; body: string; status?: string }) => api.post<{ id: string }>(`/handoffs/${handoffId}/feedback`, input),
      onSuccess: refresh,
    }),
    linkReports: useMutation({
      mutationFn: (reportIds: string[]) => api.post<IncidentDetail>(`${base}/reports`, { reportIds }),
      onSuccess: refresh,
    }),
    unlinkReport: useMutation({
      mutationFn: (reportId: string) => api.del<IncidentDetail>(`${base}/reports/${reportId}`),
      onSuccess: refresh,
    }),
    merge: useMutation({
      mutationFn: (sourceIncidentId: string) => api.post<{ mergeId: string }>(`${base}/merge`, { sourceIncidentId }),
      onSuccess: refresh,
    }),
    undoMerge: useMutation({
      mutationFn: (mergeId: string) => api.post<unknown>(`/merges/${mergeId}/undo`),
      onSuccess: refresh,
    }),
  };
}

export type IncidentActions = ReturnType<typeof useIncidentActions>;
