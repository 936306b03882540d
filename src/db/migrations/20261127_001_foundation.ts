import { sql, type Kysely } from 'kysely';

/** Frozen: the foundation schema. Never edit a migration that has shipped; add a new one. */
// Migrations take Kysely<unknown>: they must not depend on the current table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('organisation_id', 'varchar(36)')
    .addColumn('language', 'varchar(8)', (c) => c.notNull().defaultTo('zh-TW'))
    .addColumn('mfa_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mfa_secret', 'varchar(64)')
    .addColumn('mfa_pending_secret', 'varchar(64)')
    .addColumn('mfa_last_step', 'bigint')
    .addColumn('recovery_codes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(30)')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_login_at', 'varchar(30)')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('mfa_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_used_at', 'varchar(30)')
    .addColumn('revoked_at', 'varchar(30)')
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('window_start', 'varchar(30)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('short_name', 'varchar(50)', (c) => c.notNull().unique())
    .addColumn('name_zh', 'varchar(200)', (c) => c.notNull())
    .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('sector', 'varchar(30)')
    .addColumn('country', 'varchar(2)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('constituents')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(300)', (c) => c.notNull())
    .addColumn('sector', 'varchar(30)', (c) => c.notNull())
    .addColumn('partner_id', 'varchar(36)', (c) => c.references('partners.id'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('number', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('rsit_class', 'varchar(60)')
    .addColumn('rsit_type', 'varchar(60)')
    .addColumn('tlp', 'varchar(20)', (c) => c.notNull())
    .addColumn('level', 'integer')
    .addColumn('owner_id', 'varchar(36)', (c) => c.references('users.id'))
    .addColumn('constituent_id', 'varchar(36)', (c) => c.references('constituents.id'))
    .addColumn('sector', 'varchar(30)')
    .addColumn('advice', 'text')
    .addColumn('merged_into_id', 'varchar(36)')
    .addColumn('next_deadline_at', 'varchar(30)')
    .addColumn('next_deadline_kind', 'varchar(30)')
    .addColumn('first_response_at', 'varchar(30)')
    .addColumn('resolved_at', 'varchar(30)')
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_state_deadline').on('incidents').columns(['state', 'next_deadline_at', 'id']).execute();
  await db.schema.createIndex('incidents_deadline').on('incidents').columns(['next_deadline_at', 'id']).execute();
  await db.schema.createIndex('incidents_created').on('incidents').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('incidents_constituent').on('incidents').column('constituent_id').execute();
  await db.schema.createIndex('incidents_owner').on('incidents').column('owner_id').execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('tracking_number', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('tracking_token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(20)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('category', 'varchar(30)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(8)', (c) => c.notNull())
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('reporter_name', 'varchar(200)')
    .addColumn('reporter_organisation', 'varchar(200)')
    .addColumn('reporter_email', 'varchar(320)')
    .addColumn('reporter_phone', 'varchar(50)')
    .addColumn('occurred_at', 'varchar(30)')
    .addColumn('discovered_at', 'varchar(30)')
    .addColumn('assets', 'text', (c) => c.notNull())
    .addColumn('technical', 'text')
    .addColumn('pgp', 'text')
    .addColumn('incident_id', 'varchar(36)', (c) => c.references('incidents.id'))
    .addColumn('organisation_id', 'varchar(36)')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('rejection_note', 'text')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_status_created').on('reports').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('reports_incident').on('reports').column('incident_id').execute();
  await db.schema.createIndex('reports_organisation').on('reports').column('organisation_id').execute();

  await db.schema
    .createTable('report_messages')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().references('reports.id'))
    .addColumn('author', 'varchar(20)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)')
    .addColumn('comment_id', 'varchar(36)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_messages_report').on('report_messages').columns(['report_id', 'created_at']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().references('reports.id'))
    .addColumn('filename', 'varchar(255)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(200)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('uploaded_by', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_report').on('attachments').column('report_id').execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('met_at', 'varchar(30)')
    .addColumn('level', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deadlines_incident').on('deadlines').columns(['incident_id', 'kind']).unique().execute();
  await db.schema.createIndex('deadlines_due').on('deadlines').columns(['met_at', 'due_at']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id'))
    .addColumn('author_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_incident').on('comments').columns(['incident_id', 'created_at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id'))
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(30)')
    .addColumn('done_at', 'varchar(30)')
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_incident').on('tasks').column('incident_id').execute();

  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id'))
    .addColumn('partner_id', 'varchar(36)', (c) => c.notNull().references('partners.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handoffs_incident').on('handoffs').column('incident_id').execute();
  await db.schema.createIndex('handoffs_partner').on('handoffs').column('partner_id').execute();

  await db.schema
    .createTable('handoff_feedback')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('handoff_id', 'varchar(36)', (c) => c.notNull().references('handoffs.id'))
    .addColumn('author_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handoff_feedback_handoff').on('handoff_feedback').column('handoff_id').execute();

  await db.schema
    .createTable('incident_history')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('action', 'varchar(60)', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_history_incident').on('incident_history').columns(['incident_id', 'at']).execute();

  await db.schema
    .createTable('merges')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('target_incident_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('source_incident_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('moved_report_ids', 'text', (c) => c.notNull())
    .addColumn('source_state', 'varchar(20)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('undone_at', 'varchar(30)')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_label', 'varchar(200)', (c) => c.notNull())
    .addColumn('action', 'varchar(60)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(40)')
    .addColumn('target_id', 'varchar(36)')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_target').on('audit_log').columns(['target_type', 'target_id']).execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('run_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('locked_until', 'varchar(30)')
    .addColumn('dedupe_key', 'varchar(200)', (c) => c.unique())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_ready').on('jobs').columns(['state', 'run_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted; restore from backup instead.');
}
