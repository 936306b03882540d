/**
 * The slice of a pino logger the mail module uses, so the app can pass its own (pino) logger and
 * tests can pass nothing. Never log message bodies or addresses beyond what operations need.
 */
export interface MailLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: MailLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
