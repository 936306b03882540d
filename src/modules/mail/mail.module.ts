import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Queue } from '../../jobs/queue.js';
import type { BlobStore } from '../../lib/blobs.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { createReportsRepository } from '../reports/reports.repository.js';
import type { ReportsService } from '../reports/reports.service.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import { createFeedMail, type FeedImportQueue } from './feed-mail.js';
import { openSpool, type Spool } from './inbound/index.js';
import { createIntakeService, type NoticeMailHooks } from './intake.service.js';
import { createKeysRepository } from './keys.repository.js';
import { createKeysService } from './keys.service.js';
import type { MailLogger } from './logger.js';
import { createMailRepository } from './mail.repository.js';
import { createOutboxService } from './outbox.service.js';
import { createPublicFaceService } from './public-face.service.js';
import { createRepliesService } from './replies.service.js';
import { createTemplatesService } from './templates.service.js';

/**
 * The mail module wired together: keys, outbox (its `mail.send` job is registered on the queue),
 * intake from the spool under <data dir>/spool, replies to reporters, the public face.
 * `links` reach modules built after this one (notifications, feeds): replies to and bounces of
 * notice mail, and mail to feed addresses.
 */
export function createMailModule(deps: {
  config: Config;
  db: Db;
  queue: Queue;
  blobs: BlobStore;
  reports: ReportsService;
  settings: SettingsService;
  settingsRepo: SettingsRepository;
  audit: AuditService;
  clock: Clock;
  links?: { notices?: () => NoticeMailHooks; feeds?: () => FeedImportQueue };
  logger?: MailLogger;
}) {
  const { config, db, queue, blobs, reports, settings, settingsRepo, audit, clock } = deps;
  const repo = createMailRepository();
  let spoolPromise: Promise<Spool> | null = null;
  const spool = () => (spoolPromise ??= openSpool(join(config.dataDir, 'spool')));
  const keys = createKeysService({ db, keys: createKeysRepository(), audit, clock, config: config.mail });
  const templates = createTemplatesService({ db, settingsRepo, audit, clock });
  const outbox = createOutboxService({ db, repo, blobs, keys, settingsRepo, audit, queue, clock, config: config.mail, ...(deps.logger ? { logger: deps.logger } : {}) });
  const feeds = deps.links?.feeds;
  const feedMail = feeds ? createFeedMail({ db, blobs, audit, feeds, maxFeedBytes: config.feeds.maxFeedBytes }) : undefined;
  const intake = createIntakeService({
    db,
    repo,
    reportsRepo: createReportsRepository(),
    reports,
    blobs,
    keys,
    outbox,
    templates,
    settings,
    audit,
    clock,
    config,
    spool,
    ...(deps.links?.notices ? { notices: deps.links.notices } : {}),
    ...(feedMail ? { feedMail } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const replies = createRepliesService({ db, repo, outbox, templates, settingsRepo, audit, config });
  const publicFace = createPublicFaceService({ db, settingsRepo, settings, keys, audit, clock, config });
  return { spool, keys, templates, outbox, intake, replies, publicFace };
}

export type MailModule = ReturnType<typeof createMailModule>;
