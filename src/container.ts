import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connect.js';
import { createFileBlobStore, type BlobStore } from './lib/blobs.js';
import { systemClock, type Clock } from './lib/time.js';
import { join } from 'node:path';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createSessionsRepository } from './modules/auth/sessions.repository.js';
import { createUsersRepository } from './modules/auth/users.repository.js';
import { createUsersService } from './modules/auth/users.service.js';
import { createConstituentsService } from './modules/constituents/constituents.service.js';
import { createIncidentsRepository } from './modules/incidents/incidents.repository.js';
import { createIncidentsService } from './modules/incidents/incidents.service.js';
import { createPartnersService } from './modules/partners/partners.service.js';
import { createReportsRepository } from './modules/reports/reports.repository.js';
import { createReportsService } from './modules/reports/reports.service.js';
import { createSettingsRepository } from './modules/settings/settings.repository.js';
import { createSettingsService } from './modules/settings/settings.service.js';
import { createStatsService } from './modules/stats/stats.service.js';
import { createQueue } from './jobs/queue.js';
import { createAnalysisRunner } from './modules/malware/analysis-runner.js';
import { createMalwareRepository } from './modules/malware/malware.repository.js';
import { createMalwareService } from './modules/malware/malware.service.js';
import { createSampleStore, loadSampleKey } from './modules/malware/sample-store.js';
import { createYaraRulesService } from './modules/malware/yara-rules.service.js';
import { createMailModule } from './modules/mail/mail.module.js';
import { createFeedImportRunner } from './modules/feeds/feeds.import.js';
import { createFeedsService } from './modules/feeds/feeds.service.js';
import { createFeedPoller } from './modules/feeds/feeds.poll.js';
import { createEventRetention } from './modules/feeds/events.retention.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';

/** Hand-wired repositories → services. Everything the app and CLI need, built once. */
export function createContainer(config: Config, database: DatabaseHandle, opts: { clock?: Clock; blobs?: BlobStore } = {}) {
  const db = database.db;
  const clock = opts.clock ?? systemClock;
  const blobs = opts.blobs ?? createFileBlobStore(join(config.dataDir, 'blobs'));

  const auditRepo = createAuditRepository(database.dialect);
  const users = createUsersRepository();
  const sessions = createSessionsRepository();
  const settingsRepo = createSettingsRepository();
  const reportsRepo = createReportsRepository();
  const incidentsRepo = createIncidentsRepository();

  const audit = createAuditService({ db, audit: auditRepo, clock });
  const settings = createSettingsService({ db, settings: settingsRepo, audit, clock });
  const auth = createAuthService({ db, users, sessions, settingsRepo, settings, audit, clock, sessionTtlHours: config.sessionTtlHours });
  const usersService = createUsersService({ db, users, sessions, audit, clock });
  const reports = createReportsService({ db, reports: reportsRepo, settingsRepo, settings, audit, clock, timeZone: config.timeZone });
  const incidents = createIncidentsService({
    db, incidents: incidentsRepo, reports: reportsRepo, settingsRepo, settings, audit, clock, timeZone: config.timeZone,
    // Comments visible to the reporter are also mailed to reporters who gave an address.
    onReporterMessage: (trx, message) => mail.replies.onReporterComment(trx, message),
  });
  const partners = createPartnersService({ db, audit, clock });
  const constituents = createConstituentsService({
    db, audit, clock,
    storeContactKeys: async (actor, armored) => {
      for (const key of armored) await mail.keys.importContact(actor, key, 'console');
    },
  });
  const stats = createStatsService({ db, clock });
  // Feature modules register their job definitions on this queue; `serve` and `worker` run it.
  const queue = createQueue({ db, dialect: database.dialect, clock });
  // Malware analysis: encrypted sample store, analyses on the queue in worker threads (started on first use).
  const malwareRepo = createMalwareRepository();
  const sampleStore = createSampleStore(config.malware.storeDir, loadSampleKey(config.malware.sampleKey, config.malware.keyPath));
  const analysisRunner = createAnalysisRunner({ db, repo: malwareRepo, store: sampleStore, audit, clock, config: config.malware });
  queue.register(analysisRunner.job);
  const malware = createMalwareService({ db, repo: malwareRepo, store: sampleStore, blobs, queue, runner: analysisRunner, incidents: incidentsRepo, reports: reportsRepo, settings, audit, clock, config: config.malware });
  const yaraRules = createYaraRulesService({ db, repo: malwareRepo, runner: analysisRunner, audit, clock, sampleBytes: (id) => malware.sampleBytes(id) });
  // Mail: keys, intake, outbox (registers its `mail.send` job on the queue), public face.
  // Replies to and bounces of notices, and mail to feed addresses, reach modules built below.
  const mail = createMailModule({ config, db, queue, blobs, reports, settings, settingsRepo, audit, clock, links: { notices: () => notifications, feeds: () => feeds } });
  // Feeds: imports on the queue (`feeds.import`), notices through the mail outbox, hourly `notices.sweep`.
  const notifications = createNotificationsService({ db, audit, clock, queue, config: config.feeds, publicUrl: config.publicUrl, queueMail: (trx, input) => mail.outbox.queueMail(trx, input), incidents });
  const feedImports = createFeedImportRunner({ db, blobs, clock, config: config.feeds, constituents, notifications });
  queue.register(feedImports.job);
  // Feed addresses must not be one of the team's own reporting addresses (whole-domain entries excepted).
  const feeds = createFeedsService({ db, blobs, queue, audit, clock, config: config.feeds, runner: feedImports, reservedAddresses: config.mail.addresses.filter((a) => !a.startsWith('@')).map((a) => a.toLowerCase()) });
  // Feeds by URL: the minutely `feeds.poll` run fetches due sources into the same import path.
  const feedPoller = createFeedPoller({ db, dialect: database.dialect, blobs, queue, audit, clock, config: config.feeds, feeds });
  // Optional: old events and feed files deleted daily (`events.purge`) when their retention is set.
  const eventRetention = createEventRetention({ db, blobs, queue, clock, audit, config: config.feeds });

  return { config, database, db, clock, blobs, audit, settings, auth, users: usersService, reports, incidents, partners, constituents, stats, queue, mail, malware, yaraRules, sampleStore, feeds, feedImports, feedPoller, eventRetention, notifications };
}

export type Container = ReturnType<typeof createContainer>;
