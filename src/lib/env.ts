/** Reading settings from the environment (validated together; each problem is one sentence). */
export type Env = Record<string, string | undefined>;

/** A whole-number setting: the fallback when unset or empty, else the value within [min, max] or a problem. */
export function int(env: Env, name: string, fallback: number, problems: string[], min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}
