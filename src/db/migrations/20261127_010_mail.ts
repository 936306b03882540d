import type { Kysely } from 'kysely';

/**
 * Frozen: mail intake and outbound mail. Contacts' OpenPGP keys (with key-id and e-mail lookup
 * tables), the inbound ledger (one row per processed spool message; its raw SHA-256 makes
 * processing idempotent) and the durable outbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pgp_keys')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('key_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_ids', 'text', (c) => c.notNull())
    .addColumn('emails', 'text', (c) => c.notNull())
    .addColumn('armored', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'varchar(40)', (c) => c.notNull())
    .addColumn('key_created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)')
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('can_encrypt', 'integer', (c) => c.notNull())
    .addColumn('can_sign', 'integer', (c) => c.notNull())
    .addColumn('source', 'varchar(30)', (c) => c.notNull())
    .addColumn('added_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pgp_key_ids')
    .addColumn('key_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pgp_key_ids_pk', ['key_id', 'fingerprint'])
    .execute();
  await db.schema.createIndex('pgp_key_ids_fingerprint').on('pgp_key_ids').column('fingerprint').execute();

  await db.schema
    .createTable('pgp_key_emails')
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pgp_key_emails_pk', ['email', 'fingerprint'])
    .execute();
  await db.schema.createIndex('pgp_key_emails_fingerprint').on('pgp_key_emails').column('fingerprint').execute();

  await db.schema
    .createTable('mail_inbound')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('spool_id', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('raw_sha256', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('message_id', 'varchar(500)')
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().references('reports.id'))
    .addColumn('report_message_id', 'varchar(36)')
    .addColumn('from_address', 'varchar(320)')
    .addColumn('subject', 'text')
    .addColumn('auto_generated', 'integer', (c) => c.notNull())
    .addColumn('pgp', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('received_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_inbound_message_id').on('mail_inbound').column('message_id').execute();
  await db.schema.createIndex('mail_inbound_report').on('mail_inbound').column('report_id').execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('from_address', 'varchar(400)', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(8)', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('report_id', 'varchar(36)')
    .addColumn('incident_id', 'varchar(36)')
    .addColumn('comment_id', 'varchar(36)')
    .addColumn('message_id', 'varchar(500)', (c) => c.notNull().unique())
    .addColumn('in_reply_to', 'varchar(500)')
    .addColumn('reference_ids', 'text', (c) => c.notNull())
    .addColumn('auto_submitted', 'varchar(30)')
    .addColumn('raw', 'text')
    .addColumn('encrypted', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('relay_response', 'text')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('mail_outbox_state').on('mail_outbox').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('mail_outbox_report').on('mail_outbox').column('report_id').execute();
  await db.schema.createIndex('mail_outbox_incident').on('mail_outbox').column('incident_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['mail_outbox', 'mail_inbound', 'pgp_key_emails', 'pgp_key_ids', 'pgp_keys']) await db.schema.dropTable(t).execute();
}
