// Shapes of the feeds, events and notices API (src/modules/feeds/feeds.schemas.ts, feeds.routes.ts).

export const PARSER_KINDS = ['shadowserver', 'zone-h', 'phishing', 'shodan', 'drop', 'mapping'] as const;
export type ParserKind = (typeof PARSER_KINDS)[number];
export const PHISHING_FORMATS = ['text', 'csv', 'json'] as const;
export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const NOTICE_STATES = ['queued', 'sent', 'delivered', 'bounced', 'acknowledged', 'resolved', 'escalated'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];
/** Notices staff may still acknowledge for the owner, or resolve (as the server allows). */
export const ACKNOWLEDGEABLE: readonly string[] = ['queued', 'sent', 'delivered', 'escalated'];
export const RESOLVABLE: readonly string[] = ['queued', 'sent', 'delivered', 'acknowledged', 'bounced', 'escalated'];

/** Shadowserver report types the engine knows (a suggestion list; the server checks the value). */
export const SHADOWSERVER_REPORT_TYPES = [
  'scan_http', 'scan_http_vulnerable', 'scan_http_proxy', 'scan_ssl', 'scan_ssl_poodle', 'scan_ssl_freak', 'scan_rdp', 'scan_smb', 'scan_telnet', 'scan_ssh', 'scan_ftp', 'scan_vnc',
  'scan_rsync', 'scan_adb', 'scan_msmq', 'scan_mongodb', 'scan_elasticsearch', 'scan_redis', 'scan_mysql', 'scan_postgres', 'scan_mssql', 'scan_couchdb', 'scan_cassandra',
  'scan_db2', 'scan_ipmi', 'scan_ipp', 'scan_mqtt', 'scan_coap', 'scan_ubiquiti', 'scan_ics', 'scan_amqp', 'scan_docker', 'scan_kubernetes', 'scan_dns', 'scan_ntp',
  'scan_ntpmonitor', 'scan_snmp', 'scan_ssdp', 'scan_memcached', 'scan_chargen', 'scan_qotd', 'scan_tftp', 'scan_portmapper', 'scan_mdns', 'scan_netbios', 'scan_cldap',
  'scan_ard', 'scan_xdmcp', 'scan_exchange', 'event4_sinkhole', 'event4_sinkhole_http', 'event4_honeypot_brute_force', 'event4_honeypot_darknet', 'event4_ip_spoofer',
  'botnet_drone', 'compromised_website', 'blocklist', 'drone', 'sinkhole_http_drone', 'event_sinkhole', 'scan_dns_open_resolvers', 'dns_openresolver',
] as const;

export interface FeedImport {
  id: string;
  sourceId: string;
  method: string;
  fileName: string | null;
  size: number;
  observedAt: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  rows: number;
  accepted: number;
  rejected: number;
  matched: number;
  unmatched: number;
  events: number;
  notices: number;
  errors: { line: number; reason: string; excerpt?: string }[];
  error: string | null;
  createdAt: string;
}

export interface FeedSource {
  id: string;
  name: string;
  parser: string;
  options: Record<string, unknown>;
  provider: string | null;
  defaultTlp: string;
  pollUrl: string | null;
  schedule: string | null;
  mailAddress: string | null;
  mailSenders: string[];
  poll: { nextAt: string | null; lastAt: string | null; error: string | null };
  enabled: boolean;
  createdAt: string;
  lastImport: FeedImport | null;
}

/** Body of POST /feeds (PATCH takes any part of it). */
export interface FeedSourceInput {
  name: string;
  parser: ParserKind;
  options: Record<string, unknown>;
  provider: string | null;
  defaultTlp: string;
  pollUrl: string | null;
  schedule: string | null;
  mailAddress: string | null;
  mailSenders: string[];
  enabled: boolean;
}

export interface FeedEvent {
  id: string;
  feedSourceId: string;
  'feed.name': string;
  'classification.taxonomy': string;
  'classification.type': string;
  'classification.identifier': string | null;
  'source.ip': string | null;
  'source.port': number | null;
  'source.asn': number | null;
  'source.fqdn': string | null;
  'source.url': string | null;
  'source.geolocation.cc': string | null;
  'protocol.application': string | null;
  'malware.name': string | null;
  'time.source': string | null;
  'time.observation': string;
  constituentId: string | null;
  constituentName: string | null;
  matchedBy: string | null;
  matchedOn: string | null;
  sightings: number;
  firstSeen: string;
  lastSeen: string;
  tlp: string;
  noticeId: string | null;
}

export interface UnmatchedSummary {
  total: number;
  byCountry: { cc: string; events: number }[];
  byAsn: { asn: number | null; events: number }[];
}

export interface Notice {
  id: string;
  constituentId: string;
  contactId: string | null;
  partnerId: string | null;
  recipient: string;
  feedSourceId: string;
  importId: string;
  topic: string;
  types: string[];
  eventCount: number;
  language: string;
  notifyMode: string;
  subject: string;
  state: string;
  incidentId: string | null;
  sendAfter: string;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  escalatedAt: string | null;
  acknowledgedVia: string | null;
  note: string | null;
  constituentName: string | null;
}

export interface NoticeDetail extends Notice {
  feedName: string | null;
  body: string;
  acknowledgedBy: string | null;
  hostCount: number;
  hosts: string[];
  mail: { id: string; state: string; messageId: string; encrypted: boolean | null; attempts: number; lastError: string | null; sentAt: string | null } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
