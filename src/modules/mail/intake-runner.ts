import type { Config } from '../../config.js';
import { startImapPoller, startSmtpListener, type ImapPoller, type SmtpListener } from './inbound/index.js';
import type { MailLogger } from './logger.js';
import { silentLogger } from './logger.js';
import type { MailModule } from './mail.module.js';

/**
 * Runs mail intake inside `serve`: the SMTP listener (when TOCSIN_SMTP_PORT is set) and IMAP
 * polling (when TOCSIN_IMAP_URL is set) store into the spool; each stored message starts a
 * processing run, and a sweep at start-up and every `sweepMs` picks up whatever is still pending
 * (a crash before processing, a database that was down). The spool lives on this machine's disk,
 * so intake runs where the listener runs, not in `tocsin worker`.
 */
export interface MailIntakeRunner {
  smtp: SmtpListener | null;
  stop(): Promise<void>;
}

export async function startMailIntake(mail: MailModule, config: Config, opts: { logger?: MailLogger; sweepMs?: number } = {}): Promise<MailIntakeRunner> {
  const log = opts.logger ?? silentLogger;
  const spool = await mail.spool();
  // Unlock the team key now (OpenPGP.js S2K takes a moment), and say so if it cannot be.
  await mail.keys.teamKey().catch((err: unknown) => log.error({ err }, 'the team key could not be unlocked: encrypted mail will be quarantined, outbound mail waits'));
  let stopped = false;
  const kick = () => {
    if (stopped) return;
    mail.intake.processPending().then(
      (r) => {
        if (r.failed.length) log.warn({ failed: r.failed.length }, 'some inbound messages stay pending; retried at the next sweep');
      },
      (err: unknown) => log.error({ err }, 'mail intake run failed'),
    );
  };

  const smtp = config.mail.smtp
    ? await startSmtpListener({
        spool,
        host: config.mail.smtp.host,
        port: config.mail.smtp.port,
        maxMessageBytes: config.mail.maxMessageBytes,
        acceptRecipients: config.mail.addresses,
        // Feed sources' addresses live in the database: looked up per recipient.
        acceptRecipient: (address) => mail.intake.isFeedAddress(address),
        ...(config.mail.smtp.tls ? { tls: config.mail.smtp.tls } : {}),
        onStored: kick,
        logger: log,
      })
    : null;
  const imapConfig = config.mail.imap;
  const imap: ImapPoller | null = imapConfig
    ? startImapPoller({
        spool,
        host: imapConfig.host,
        port: imapConfig.port,
        secure: imapConfig.secure,
        auth: { user: imapConfig.user, pass: imapConfig.password },
        mailbox: imapConfig.mailbox,
        maxMessageBytes: config.mail.maxMessageBytes,
        intervalMs: imapConfig.intervalMs,
        onStored: kick,
        logger: log,
      })
    : null;

  kick(); // start-up sweep
  const sweep = setInterval(kick, opts.sweepMs ?? 60_000);
  sweep.unref();

  return {
    smtp,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      await smtp?.close();
      await imap?.stop();
      await mail.intake.processPending().catch(() => undefined); // let a running pass finish
      mail.outbox.close();
    },
  };
}
