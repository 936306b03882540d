import { api } from '../../../lib/api.js';
import type { ReportBody, ReportCreated } from '../../../lib/publicTypes.js';

/** JSON when there are no files; otherwise multipart with the JSON in a `report` part (sent first). */
export function submitReport(body: ReportBody, files: readonly File[]): Promise<ReportCreated> {
  if (files.length === 0) return api.post<ReportCreated>('/reports', body);
  const form = new FormData();
  form.append('report', JSON.stringify(body));
  for (const file of files) form.append('attachments', file, file.name);
  return api.upload<ReportCreated>('/reports', form);
}
