/**
 * Tracking numbers in subjects: "[TC-2026-000123]" (the prefix is configurable). Replies keep the
 * tag, so it threads a message to its report or incident. Full-width brackets, as Chinese input
 * methods produce them, are accepted too.
 */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function trackingNumberPattern(prefix: string): RegExp {
  return new RegExp(`[\\[【［]\\s*(${escapeRegExp(prefix)}-\\d{4}-\\d{6,})\\s*[\\]】］]`, 'giu');
}

/** Tracking numbers in a subject, upper-cased, without duplicates, in order of appearance. */
export function extractTrackingNumbers(subject: string, prefix: string): string[] {
  const out: string[] = [];
  for (const m of subject.matchAll(trackingNumberPattern(prefix))) {
    const n = m[1]!.toUpperCase();
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Puts the tag in a subject once ("[TC-2026-000123] subject"); leaves it be if already there. */
export function tagSubject(subject: string, trackingNumber: string): string {
  if (subject.toUpperCase().includes(`[${trackingNumber.toUpperCase()}]`)) return subject;
  return `[${trackingNumber}] ${subject}`.trim();
}
