import { addMonths, HOUR_MS } from '../../lib/time.js';

/**
 * Deadlines of Taiwan's 資通安全事件通報及應變辦法, as a per-deployment policy: hours per impact
 * level for the level review and for containment/recovery, and months for the improvement report.
 * While no level is set yet the strictest level's limits apply: an unassessed incident is treated
 * as possibly serious.
 */
export interface DeadlinePolicy {
  levelReviewHours: Record<'1' | '2' | '3' | '4', number>;
  containmentHours: Record<'1' | '2' | '3' | '4', number>;
  improvementReportMonths: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  levelReviewHours: { '1': 8, '2': 8, '3': 2, '4': 2 },
  containmentHours: { '1': 72, '2': 72, '3': 36, '4': 36 },
  improvementReportMonths: 1,
};

export const DEADLINE_KINDS = ['level_review', 'containment', 'improvement_report'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface Deadline {
  kind: DeadlineKind;
  dueAt: string;
  metAt: string | null;
}

function hoursFor(table: DeadlinePolicy['levelReviewHours'], level: number | null): number {
  if (level === null) return Math.min(...Object.values(table));
  return table[String(level) as '1'];
}

/**
 * Due times from the incident's start (when it was first reported) and level. The improvement
 * report counts from the end of containment when that is known, else from its due time.
 */
export function computeDeadlines(policy: DeadlinePolicy, startedAt: Date, level: number | null, met: Partial<Record<DeadlineKind, string | null>>): Deadline[] {
  const review = new Date(startedAt.getTime() + hoursFor(policy.levelReviewHours, level) * HOUR_MS);
  const containment = new Date(startedAt.getTime() + hoursFor(policy.containmentHours, level) * HOUR_MS);
  const containedAt = met.containment ? new Date(met.containment) : containment;
  const improvement = addMonths(containedAt, policy.improvementReportMonths);
  return [
    { kind: 'level_review', dueAt: review.toISOString(), metAt: met.level_review ?? null },
    { kind: 'containment', dueAt: containment.toISOString(), metAt: met.containment ?? null },
    { kind: 'improvement_report', dueAt: improvement.toISOString(), metAt: met.improvement_report ?? null },
  ];
}

/** The earliest unmet deadline, which the queue sorts by. */
export function nextDeadline(deadlines: Deadline[]): Deadline | null {
  return deadlines.filter((d) => d.metAt === null).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0] ?? null;
}

export function validatePolicy(p: DeadlinePolicy): string[] {
  const problems: string[] = [];
  for (const key of ['levelReviewHours', 'containmentHours'] as const) {
    for (const level of ['1', '2', '3', '4'] as const) {
      const v = p[key][level];
      if (!Number.isFinite(v) || v <= 0 || v > 24 * 365) problems.push(`${key}.${level}`);
    }
  }
  if (!Number.isInteger(p.improvementReportMonths) || p.improvementReportMonths < 1 || p.improvementReportMonths > 24) problems.push('improvementReportMonths');
  return problems;
}
