import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { MalwareTables } from '../modules/malware/malware.tables.js';
import type { FeedsTables } from '../modules/feeds/feeds.tables.js';

/**
 * All tables. Portable choices made for both SQLite and PostgreSQL:
 * - times are ISO 8601 UTC text (fixed width, so they sort and compare correctly as text);
 * - booleans are integers 0/1; JSON documents are text;
 * - primary keys are UUIDv7 text, except the audit log's sequence number.
 * Columns holding personal data are marked `PII` and are never logged.
 */
type Iso = string;
type Bool = number;
type Json = string;
/** Personal data: reads are audited, values never logged. */
type PII<T> = T;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: PII<string | null>;
  password_hash: string;
  role: string;
  organisation_id: string | null;
  language: Generated<string>;
  mfa_enabled: Generated<Bool>;
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  mfa_last_step: number | null; // last accepted TOTP time step: a code is never accepted twice
  recovery_codes: Generated<Json>; // JSON array of SHA-256 digests of unused codes
  failed_logins: Generated<number>;
  locked_until: Iso | null;
  disabled: Generated<Bool>;
  created_at: Iso;
  updated_at: Iso;
  last_login_at: Iso | null;
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value
  user_id: string;
  csrf_token: string;
  mfa_verified: Bool;
  created_at: Iso;
  last_seen_at: Iso;
  expires_at: Iso;
  ip: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: Json;
  created_at: Iso;
  expires_at: Iso;
  last_used_at: Iso | null;
  revoked_at: Iso | null;
}

export interface LoginAttemptsTable {
  key: string; // "ip:<addr>" or "user:<name>"
  window_start: Iso;
  count: number;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Iso;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface PartnersTable {
  id: string;
  short_name: string;
  name_zh: string;
  name_en: string;
  kind: string; // sector-cert | national-cert | foreign-cert | isac | alliance
  sector: string | null;
  country: string;
  email: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface ConstituentsTable {
  id: string;
  name: string;
  sector: string;
  partner_id: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface ReportsTable {
  id: string;
  tracking_number: string;
  tracking_token_hash: string;
  channel: string;
  status: string; // new | linked | rejected | spam
  category: string;
  title: string | null;
  description: PII<string>;
  language: string;
  anonymous: Bool;
  reporter_name: PII<string | null>;
  reporter_organisation: PII<string | null>;
  reporter_email: PII<string | null>;
  reporter_phone: PII<string | null>;
  occurred_at: Iso | null;
  discovered_at: Iso | null;
  assets: Json;
  technical: Json | null;
  pgp: Json | null;
  incident_id: string | null;
  organisation_id: string | null; // the constituent that filed it, when a constituent user did
  created_by: string | null; // staff member who logged it (phone)
  rejection_note: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface ReportMessagesTable {
  id: string;
  report_id: string;
  author: string; // team | reporter
  user_id: string | null;
  comment_id: string | null;
  body: PII<string>;
  created_at: Iso;
}

export interface AttachmentsTable {
  id: string;
  report_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string; // reporter | staff
  created_at: Iso;
}

export interface IncidentsTable {
  id: string;
  number: string;
  title: string;
  state: string;
  rsit_class: string | null;
  rsit_type: string | null;
  tlp: string;
  level: number | null;
  owner_id: string | null;
  constituent_id: string | null;
  sector: string | null;
  advice: string | null;
  merged_into_id: string | null;
  next_deadline_at: Iso | null;
  next_deadline_kind: string | null;
  first_response_at: Iso | null;
  resolved_at: Iso | null;
  closed_at: Iso | null;
  created_by: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface DeadlinesTable {
  id: string;
  incident_id: string;
  kind: string; // level_review | containment | improvement_report
  due_at: Iso;
  met_at: Iso | null;
  level: number;
}

export interface CommentsTable {
  id: string;
  incident_id: string;
  author_id: string;
  body: string;
  visibility: string; // internal | reporter
  created_at: Iso;
}

export interface TasksTable {
  id: string;
  incident_id: string;
  title: string;
  due_at: Iso | null;
  done_at: Iso | null;
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
}

export interface HandoffsTable {
  id: string;
  incident_id: string;
  partner_id: string;
  note: string;
  status: string; // pending | acknowledged | in_progress | done | declined
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
}

export interface HandoffFeedbackTable {
  id: string;
  handoff_id: string;
  author_id: string;
  body: string;
  status: string | null;
  created_at: Iso;
}

export interface IncidentHistoryTable {
  id: string;
  incident_id: string;
  actor_id: string | null;
  action: string;
  changes: Json;
  at: Iso;
}

export interface MergesTable {
  id: string;
  target_incident_id: string;
  source_incident_id: string;
  moved_report_ids: Json;
  source_state: string;
  actor_id: string;
  created_at: Iso;
  undone_at: Iso | null;
}

export interface AuditLogTable {
  seq: number;
  at: Iso;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: Json;
  state: string; // queued | running | done | failed
  run_at: Iso;
  attempts: Generated<number>;
  max_attempts: number;
  last_error: string | null;
  locked_until: Iso | null;
  dedupe_key: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface PgpKeysTable {
  id: string;
  fingerprint: string;
  key_id: string;
  user_ids: Json; // JSON array
  emails: Json; // JSON array, lower-case
  armored: string;
  algorithm: string;
  key_created_at: Iso;
  expires_at: Iso | null;
  revoked: Bool;
  can_encrypt: Bool;
  can_sign: Bool;
  source: string; // console | cli
  added_by: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface PgpKeyIdsTable {
  key_id: string; // 16 lower-case hex, primary key or subkey
  fingerprint: string;
}

export interface PgpKeyEmailsTable {
  email: string;
  fingerprint: string;
}

export interface MailInboundTable {
  id: string;
  spool_id: string;
  raw_sha256: string;
  message_id: string | null;
  kind: string; // report | reply
  report_id: string;
  report_message_id: string | null;
  from_address: PII<string | null>;
  subject: PII<string | null>;
  auto_generated: Bool;
  pgp: Json; // PgpStatus of this message
  warnings: Json; // JSON array: what parsing repaired or dropped
  received_at: Iso;
  created_at: Iso;
}

export interface MailOutboxTable {
  id: string;
  kind: string; // acknowledgement | reply | notice
  state: string; // queued | sent | failed | bounced
  to_addresses: PII<Json>; // [{ name, address }]
  from_address: string;
  subject: PII<string>;
  body: PII<string>;
  language: string;
  headers: Json;
  report_id: string | null;
  incident_id: string | null;
  comment_id: string | null;
  message_id: string; // with angle brackets
  in_reply_to: string | null;
  reference_ids: Json;
  auto_submitted: string | null;
  raw: PII<string | null>; // composed (signed/encrypted) message, latin1
  encrypted: Bool | null;
  attempts: Generated<number>;
  last_error: string | null;
  relay_response: string | null;
  created_at: Iso;
  updated_at: Iso;
  sent_at: Iso | null;
  /** [{ filename, contentType, sha256, size }]: the bytes are in the blob store. */
  attachments: Generated<Json>;
}

/** Feature modules keep their table types beside them (e.g. malware.tables.ts) and are listed here. */
export interface Database extends MalwareTables, FeedsTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  settings: SettingsTable;
  counters: CountersTable;
  partners: PartnersTable;
  constituents: ConstituentsTable;
  reports: ReportsTable;
  report_messages: ReportMessagesTable;
  attachments: AttachmentsTable;
  incidents: IncidentsTable;
  deadlines: DeadlinesTable;
  comments: CommentsTable;
  tasks: TasksTable;
  handoffs: HandoffsTable;
  handoff_feedback: HandoffFeedbackTable;
  incident_history: IncidentHistoryTable;
  merges: MergesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  jobs: JobsTable;
  pgp_keys: PgpKeysTable;
  pgp_key_ids: PgpKeyIdsTable;
  pgp_key_emails: PgpKeyEmailsTable;
  mail_inbound: MailInboundTable;
  mail_outbox: MailOutboxTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<Database>;
export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
export type { ColumnType, Generated };
