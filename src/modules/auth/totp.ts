import { generateSecret, generateURI, verifySync } from 'otplib';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), the kind every authenticator app reads. */
export const TOTP_PERIOD_S = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string, issuer: string): string {
  return generateURI({ issuer, label: account, secret });
}

/**
 * Checks a code, accepting the previous and next step for clock drift. Returns the time step that
 * matched, so the caller can refuse the same code twice (replay), or null.
 */
export function matchTotp(secret: string, code: string, now: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = verifySync({ secret, token: code, epoch, epochTolerance: TOTP_PERIOD_S });
  if (!result.valid) return null;
  const step = 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : Math.floor(epoch / TOTP_PERIOD_S);
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
