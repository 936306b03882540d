/** Table types of constituents' scope, feeds, events and notices (migration 20261127_020_feeds). */
type Iso = string;
type Json = string;

export interface ConstituentNetblocksTable { cidr: string; constituent_id: string; created_at: Iso }
export interface ConstituentAsnsTable { asn: number | string; constituent_id: string; created_at: Iso }
export interface ConstituentDomainsTable { domain: string; constituent_id: string; created_at: Iso }
export interface ConstituentContactsTable {
  id: string;
  constituent_id: string;
  position: number;
  name: string;
  role: string;
  email: string; // personal data
  pgp_key: string | null;
  language: string;
  notify_mode: string; // immediate | daily | weekly
  tlp_ceiling: string;
  event_types: Json;
}

export interface FeedSourcesTable {
  id: string;
  name: string;
  parser: string;
  options: Json;
  provider: string | null;
  default_tlp: string;
  poll_url: string | null;
  schedule: string | null;
  enabled: number;
  created_at: Iso;
  updated_at: Iso;
  /** Feeds by mail: the source's own address (unique) and the senders allowed to use it (JSON array). */
  mail_address: string | null;
  mail_senders: Json;
  /** Feeds by URL: when the next poll is due, the validators of the last answer, the last error. */
  poll_next_at: Iso | null;
  poll_last_at: Iso | null;
  poll_etag: string | null;
  poll_last_modified: string | null;
  poll_error: string | null;
}

export interface FeedImportsTable {
  id: string;
  source_id: string;
  method: string;
  file_name: string | null;
  blob_sha256: string;
  size: number | string;
  observed_at: Iso;
  status: string;
  started_at: Iso | null;
  finished_at: Iso | null;
  rows: number;
  accepted: number;
  rejected: number;
  matched: number;
  unmatched: number;
  events: number;
  notices: number;
  errors: Json;
  error: string | null;
  created_by: string | null;
  created_at: Iso;
}

export interface EventsTable {
  id: string;
  dedup_key: string;
  feed_source_id: string;
  first_import_id: string;
  feed_name: string;
  classification_taxonomy: string;
  classification_type: string;
  classification_identifier: string | null;
  source_ip: string | null;
  source_port: number | null;
  source_asn: number | string | null;
  source_fqdn: string | null;
  source_url: string | null;
  source_network: string | null;
  source_cc: string | null;
  protocol_transport: string | null;
  protocol_application: string | null;
  malware_name: string | null;
  time_source: Iso | null;
  time_observation: Iso;
  extra: Json;
  host: string;
  constituent_id: string | null;
  matched_by: string | null;
  matched_on: string | null;
  sightings: number;
  first_seen: Iso;
  last_seen: Iso;
  tlp: string;
  notice_id: string | null;
  created_at: Iso;
}

export interface EventImportsTable { event_id: string; import_id: string; count: number; first_seen: Iso; last_seen: Iso }

export interface NoticesTable {
  id: string;
  dedupe_key: string;
  constituent_id: string;
  contact_id: string | null;
  partner_id: string | null;
  recipient: string;
  feed_source_id: string;
  import_id: string;
  topic: string;
  types: Json;
  identifiers: Json;
  event_count: number;
  event_ids: Json;
  csv: string;
  language: string;
  notify_mode: string;
  subject: string;
  body: string;
  state: string;
  ack_token_hash: string;
  outbox_id: string | null;
  incident_id: string | null;
  send_after: Iso;
  created_at: Iso;
  updated_at: Iso;
  sent_at: Iso | null;
  acknowledged_at: Iso | null;
  resolved_at: Iso | null;
  escalated_at: Iso | null;
  /** link | reply | staff */
  acknowledged_via: string | null;
  /** The reply's sender, the staff member's user id, or the address the link was opened from. */
  acknowledged_by: string | null;
  note: string | null;
}

export interface NoticeHostsTable { notice_id: string; host: string }

export interface FeedsTables {
  constituent_netblocks: ConstituentNetblocksTable;
  constituent_asns: ConstituentAsnsTable;
  constituent_domains: ConstituentDomainsTable;
  constituent_contacts: ConstituentContactsTable;
  feed_sources: FeedSourcesTable;
  feed_imports: FeedImportsTable;
  events: EventsTable;
  event_imports: EventImportsTable;
  notices: NoticesTable;
  notice_hosts: NoticeHostsTable;
}
