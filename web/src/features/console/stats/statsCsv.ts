import type { Stats } from '../types.js';

function cell(value: string | number): string {
  const text = String(value);
  // Quote when needed, and defuse spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV for the annual report: dimension, key, count rows plus the summary figures. */
export function statsToCsv(stats: Stats): string {
  const rows: (string | number)[][] = [['dimension', 'key', 'value']];
  rows.push(['period', 'from', stats.from], ['period', 'to', stats.to]);
  rows.push(['total', 'incidents', stats.incidents], ['total', 'reports', stats.reports]);
  rows.push(['response', 'median_first_response_minutes', stats.medianFirstResponseMinutes ?? '']);
  for (const [key, value] of Object.entries(stats.deadlines)) rows.push(['deadlines', key, value]);
  const dims: [string, Record<string, number>][] = [
    ['rsit_class', stats.byRsitClass],
    ['level', stats.byLevel],
    ['sector', stats.bySector],
    ['channel', stats.byChannel],
    ['month', stats.byMonth],
  ];
  for (const [dimension, counts] of dims) for (const [key, value] of Object.entries(counts)) rows.push([dimension, key, value]);
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`; // BOM: Excel reads UTF-8 Chinese
}
