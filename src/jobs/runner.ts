import type { JobsConfig } from '../config.js';
import { BULK_LANE, DEFAULT_LANE, type Queue } from './queue.js';

/**
 * Starts the job runner of a `serve` or `tocsin worker` process: the daily housekeeping job, and
 * workers per lane as configured (TOCSIN_JOB_CONCURRENCY, TOCSIN_JOB_BULK_CONCURRENCY), and the lanes modules
 * size themselves (malware analyses: as many workers as TOCSIN_ANALYSIS_WORKERS threads). Periodic jobs
 * (feed polling, the notice sweep, housekeeping) are scheduled by the runner itself.
 */
export function startJobRunner(queue: Queue, config: JobsConfig, onError: (err: unknown) => void, moduleLanes: Record<string, number> = {}): { stop(): Promise<void> } {
  queue.housekeeping({ retentionDays: config.retentionDays });
  return queue.start({ concurrency: { ...moduleLanes, [DEFAULT_LANE]: config.concurrency, [BULK_LANE]: config.bulkConcurrency }, onError });
}
