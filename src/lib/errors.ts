/**
 * Typed domain errors. Each carries a stable `code` (for API clients and i18n) and an HTTP status.
 * The error handler maps them to the one API error shape; anything else is a 500 that leaks nothing.
 */
export interface FieldProblem {
  field: string;
  code: string;
  message?: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly details: FieldProblem[] | undefined;
  /** Values interpolated into the localised message. */
  readonly params: Record<string, string | number>;

  constructor(code: string, message?: string, opts: { details?: FieldProblem[]; params?: Record<string, string | number> } = {}) {
    super(message ?? code);
    this.code = code;
    this.details = opts.details;
    this.params = opts.params ?? {};
  }
}

export class Invalid extends DomainError {
  readonly status = 400;
}
export class Unauthenticated extends DomainError {
  readonly status = 401;
}
export class Forbidden extends DomainError {
  readonly status = 403;
}
export class NotFound extends DomainError {
  readonly status = 404;
}
export class Conflict extends DomainError {
  readonly status = 409;
}
export class PayloadTooLarge extends DomainError {
  readonly status = 413;
}
export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(code: string, retryAfterSeconds: number, params: Record<string, string | number> = {}) {
    super(code, code, { params: { seconds: retryAfterSeconds, ...params } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
