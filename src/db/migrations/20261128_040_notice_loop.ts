import type { Kysely } from 'kysely';

/**
 * Frozen: closing the notification loop (issue 5, second part).
 * - Outbound mail attachments, held in the blob store and named on the outbox row (a notice's CSV of
 *   affected hosts travels as a real attachment, signed and encrypted with the rest of the message).
 * - How a notice was acknowledged (signed link, reply by mail, or staff on the owner's behalf) and by
 *   whom, with an optional note.
 * - Feeds by mail: a feed source's own address and the senders allowed to feed it.
 * - Feeds by URL: the polling state of a source (next run, validators for conditional requests, the
 *   last error).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.alterTable('notices').addColumn('acknowledged_via', 'varchar(20)').execute();
  await db.schema.alterTable('notices').addColumn('acknowledged_by', 'varchar(400)').execute();
  await db.schema.alterTable('notices').addColumn('note', 'text').execute();

  await db.schema.alterTable('feed_sources').addColumn('mail_address', 'varchar(320)').execute();
  await db.schema.alterTable('feed_sources').addColumn('mail_senders', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.createIndex('feed_sources_mail_address').on('feed_sources').column('mail_address').unique().execute();
  await db.schema.alterTable('feed_sources').addColumn('poll_next_at', 'varchar(30)').execute();
  await db.schema.alterTable('feed_sources').addColumn('poll_last_at', 'varchar(30)').execute();
  await db.schema.alterTable('feed_sources').addColumn('poll_etag', 'varchar(500)').execute();
  await db.schema.alterTable('feed_sources').addColumn('poll_last_modified', 'varchar(100)').execute();
  await db.schema.alterTable('feed_sources').addColumn('poll_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('feed_sources_mail_address').execute();
  for (const c of ['mail_address', 'mail_senders', 'poll_next_at', 'poll_last_at', 'poll_etag', 'poll_last_modified', 'poll_error']) await db.schema.alterTable('feed_sources').dropColumn(c).execute();
  for (const c of ['acknowledged_via', 'acknowledged_by', 'note']) await db.schema.alterTable('notices').dropColumn(c).execute();
  await db.schema.alterTable('mail_outbox').dropColumn('attachments').execute();
}
