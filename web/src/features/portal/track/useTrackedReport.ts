import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.js';
import type { TrackedReport } from '../../../lib/publicTypes.js';

function path(token: string): string {
  return `/track/${encodeURIComponent(token)}`;
}

export function useTrackedReport(token: string) {
  return useQuery({
    queryKey: ['track', token],
    queryFn: ({ signal }) => api.get<TrackedReport>(path(token), { signal }),
  });
}

export function useAddMessage(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api.post<{ id: string }>(`${path(token)}/messages`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['track', token] }),
  });
}

export function useAddFiles(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (files: readonly File[]) => {
      const form = new FormData();
      for (const file of files) form.append('attachments', file, file.name);
      return api.upload<{ attachments: { id: string; filename: string; size: number }[] }>(
        `${path(token)}/attachments`,
        form,
      );
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['track', token] }),
  });
}
