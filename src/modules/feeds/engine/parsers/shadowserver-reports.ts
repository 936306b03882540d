/**
 * Shadowserver report types as data. Columns are mapped by header name; each report only states its
 * classification and, where it differs from its family, extra column mappings. Every column not mapped lands
 * in `extra` under its own name (tag, naics, sector, severity, the scan-specific columns…), so nothing a
 * report carries is lost. Supporting a new report type means adding one entry here (or passing it in
 * `createShadowserverParser({ reports })`).
 *
 * Column families (as Shadowserver publishes them):
 * - scan:  timestamp, ip, protocol, port, hostname (reverse DNS), tag, asn, geo, region, city, naics, sector…
 * - event: timestamp, protocol, src_ip, src_port, src_asn, src_geo, src_region, src_city, src_hostname,
 *          dst_ip, dst_port, dst_asn, dst_geo, infection, family, tag, application…
 * - drone: (legacy botnet_drone) timestamp, ip, port, asn, geo, region, city, hostname, type, infection, url,
 *          agent, cc, cc_port, cc_asn, cc_geo, cc_dns…
 */
import type { RsitType } from '../taxonomy.js';
import type { FieldRules } from './mapping.js';

export type ShadowserverFamily = 'scan' | 'event' | 'drone';

export interface ShadowserverReport {
  /** Human name of the report, kept in extra.report. */
  name: string;
  family: ShadowserverFamily;
  type: RsitType;
  /** classification.identifier; omitted for infection reports, where the malware family is the identifier. */
  identifier?: string;
  application?: string;
  transport?: 'tcp' | 'udp';
  /** Mappings added to (or overriding) the family's. */
  fields?: FieldRules;
}

const COMMON: FieldRules = {
  'time.source': { from: 'timestamp', required: true },
  'source.ip': { from: ['ip', 'src_ip'], required: true },
  'source.port': { from: ['port', 'src_port'] },
  'protocol.transport': { from: 'protocol' },
  'source.reverse_dns': { from: ['hostname', 'src_hostname'] },
  'source.asn': { from: ['asn', 'src_asn'] },
  'source.geolocation.cc': { from: ['geo', 'src_geo'] },
  'source.geolocation.region': { from: ['region', 'src_region'] },
  'source.geolocation.city': { from: ['city', 'src_city'] },
};

export const FAMILY_FIELDS: Readonly<Record<ShadowserverFamily, FieldRules>> = {
  scan: COMMON,
  event: {
    ...COMMON,
    'destination.ip': { from: 'dst_ip' },
    'destination.port': { from: 'dst_port' },
    'destination.asn': { from: 'dst_asn' },
    'destination.geolocation.cc': { from: 'dst_geo' },
    'malware.name': { from: ['infection', 'family'] },
    'protocol.application': { from: 'application' },
  },
  drone: {
    ...COMMON,
    // The legacy drone report calls the transport `type`.
    'protocol.transport': { from: ['protocol', 'type'] },
    'destination.ip': { from: 'cc' },
    'destination.port': { from: 'cc_port' },
    'destination.asn': { from: 'cc_asn' },
    'destination.geolocation.cc': { from: 'cc_geo' },
    'destination.fqdn': { from: 'cc_dns' },
    'malware.name': { from: ['infection', 'family'] },
    'protocol.application': { from: 'application' },
  },
};

function scan(name: string, type: RsitType, identifier: string, application?: string, transport?: 'tcp' | 'udp'): ShadowserverReport {
  const r: ShadowserverReport = { name, family: 'scan', type, identifier };
  if (application !== undefined) r.application = application;
  if (transport !== undefined) r.transport = transport;
  return r;
}

const accessible = (name: string, identifier: string, application: string, transport: 'tcp' | 'udp' = 'tcp') =>
  scan(name, 'potentially-unwanted-accessible', identifier, application, transport);
const amplifier = (name: string, identifier: string, application: string) =>
  scan(name, 'ddos-amplifier', identifier, application, 'udp');

/** Keyed by the report's token in Shadowserver file names (`2024-01-15-scan_rdp-taiwan-geo.csv`). IPv6
 *  variants (`scan6_*`, `event6_*`) use the IPv4 entry. */
export const SHADOWSERVER_REPORTS: Readonly<Record<string, ShadowserverReport>> = {
  // Exposed services nobody should reach from the Internet.
  scan_rdp: accessible('Accessible RDP', 'accessible-rdp', 'rdp'),
  scan_smb: accessible('Accessible SMB', 'accessible-smb', 'smb'),
  scan_telnet: accessible('Accessible Telnet', 'accessible-telnet', 'telnet'),
  scan_ssh: accessible('Accessible SSH', 'accessible-ssh', 'ssh'),
  scan_ftp: accessible('Accessible FTP', 'accessible-ftp', 'ftp'),
  scan_vnc: accessible('Accessible VNC', 'accessible-vnc', 'vnc'),
  scan_rsync: accessible('Accessible rsync', 'accessible-rsync', 'rsync'),
  scan_adb: accessible('Accessible Android Debug Bridge', 'accessible-adb', 'adb'),
  scan_msmq: accessible('Accessible MSMQ', 'accessible-msmq', 'msmq'),
  // Databases.
  scan_mongodb: accessible('Open MongoDB', 'open-mongodb', 'mongodb'),
  scan_elasticsearch: accessible('Open Elasticsearch', 'open-elasticsearch', 'elasticsearch'),
  scan_redis: accessible('Open Redis', 'open-redis', 'redis'),
  scan_mysql: accessible('Accessible MySQL', 'open-mysql', 'mysql'),
  scan_postgres: accessible('Accessible PostgreSQL', 'open-postgres', 'postgresql'),
  scan_mssql: accessible('Open MS-SQL', 'open-mssql', 'mssql', 'udp'),
  scan_couchdb: accessible('Accessible CouchDB', 'open-couchdb', 'couchdb'),
  scan_cassandra: accessible('Accessible Cassandra', 'open-cassandra', 'cassandra'),
  scan_db2: accessible('Open DB2 discovery service', 'open-db2', 'db2', 'udp'),
  // Devices: IoT, printers, management interfaces, industrial control systems.
  scan_ipmi: accessible('Open IPMI', 'open-ipmi', 'ipmi', 'udp'),
  scan_ipp: accessible('Open IPP (printers)', 'open-ipp', 'ipp'),
  scan_mqtt: accessible('Open MQTT', 'open-mqtt', 'mqtt'),
  scan_coap: accessible('Accessible CoAP', 'accessible-coap', 'coap', 'udp'),
  scan_ubiquiti: accessible('Accessible Ubiquiti discovery', 'accessible-ubiquiti', 'ubiquiti', 'udp'),
  scan_ics: accessible('Accessible ICS', 'accessible-ics', 'ics'),
  scan_amqp: accessible('Accessible AMQP', 'accessible-amqp', 'amqp'),
  scan_docker: accessible('Accessible Docker API', 'accessible-docker', 'docker'),
  scan_kubernetes: accessible('Accessible Kubernetes API', 'accessible-kubernetes', 'kubernetes'),
  // Amplifiers.
  scan_dns: amplifier('Open DNS resolvers', 'dns-open-resolver', 'dns'),
  scan_ntp: amplifier('NTP version', 'ntp-version', 'ntp'),
  scan_ntpmonitor: amplifier('NTP monitor', 'ntp-monitor', 'ntp'),
  scan_snmp: amplifier('Open SNMP', 'open-snmp', 'snmp'),
  scan_ssdp: amplifier('Open SSDP', 'open-ssdp', 'ssdp'),
  scan_memcached: amplifier('Open Memcached', 'open-memcached', 'memcached'),
  scan_chargen: amplifier('Open Chargen', 'open-chargen', 'chargen'),
  scan_qotd: amplifier('Open QOTD', 'open-qotd', 'qotd'),
  scan_tftp: amplifier('Open TFTP', 'open-tftp', 'tftp'),
  scan_portmapper: amplifier('Open Portmapper', 'open-portmapper', 'portmapper'),
  scan_mdns: amplifier('Open mDNS', 'open-mdns', 'mdns'),
  scan_netbios: amplifier('Open NetBIOS', 'open-netbios', 'netbios'),
  scan_cldap: amplifier('Open CLDAP', 'open-cldap', 'ldap'),
  scan_ard: amplifier('Apple Remote Desktop', 'open-ard', 'ard'),
  scan_xdmcp: amplifier('Open XDMCP', 'open-xdmcp', 'xdmcp'),
  // Vulnerable or badly configured web and TLS.
  scan_http: scan('Accessible HTTP', 'vulnerable-system', 'accessible-http', 'http', 'tcp'),
  scan_http_vulnerable: scan('Vulnerable HTTP', 'vulnerable-system', 'vulnerable-http', 'http', 'tcp'),
  scan_http_proxy: scan('Open HTTP proxy', 'potentially-unwanted-accessible', 'open-proxy', 'http', 'tcp'),
  scan_exchange: scan('Vulnerable Exchange server', 'vulnerable-system', 'vulnerable-exchange-server', 'https', 'tcp'),
  scan_ssl: scan('Accessible SSL/TLS', 'vulnerable-system', 'accessible-ssl', 'https', 'tcp'),
  scan_ssl_poodle: scan('SSL POODLE', 'weak-crypto', 'ssl-poodle', 'https', 'tcp'),
  scan_ssl_freak: scan('SSL FREAK', 'weak-crypto', 'ssl-freak', 'https', 'tcp'),
  // Infections and compromises.
  event4_sinkhole: { name: 'Sinkhole events', family: 'event', type: 'infected-system' },
  event4_sinkhole_http: {
    name: 'Sinkhole HTTP events',
    family: 'event',
    type: 'infected-system',
    fields: { 'destination.url': { from: 'http_url', hostFrom: 'http_host' } },
  },
  event4_honeypot_brute_force: {
    name: 'Honeypot brute-force events',
    family: 'event',
    type: 'brute-force',
    identifier: 'honeypot-brute-force',
  },
  event4_honeypot_darknet: { name: 'Darknet events', family: 'event', type: 'scanner', identifier: 'darknet' },
  event4_ip_spoofer: { name: 'IP spoofer events', family: 'event', type: 'misconfiguration', identifier: 'ip-spoofer' },
  botnet_drone: { name: 'Botnet drone', family: 'drone', type: 'infected-system' },
  compromised_website: {
    name: 'Compromised website',
    family: 'scan',
    type: 'system-compromise',
    identifier: 'compromised-website',
    fields: {
      'source.url': { from: 'url', hostFrom: 'http_host', schemeFrom: 'application' },
      'source.fqdn': { from: 'http_host' },
      'protocol.application': { from: 'application' },
    },
  },
  blocklist: { name: 'Blocklist', family: 'scan', type: 'blacklist', identifier: 'blocklist' },
};

/** Aliases: older file-name tokens for the same report. */
const ALIASES: Readonly<Record<string, string>> = {
  drone: 'botnet_drone',
  sinkhole_http_drone: 'event4_sinkhole_http',
  event_sinkhole: 'event4_sinkhole',
  scan_dns_open_resolvers: 'scan_dns',
  dns_openresolver: 'scan_dns',
};

/** The report named by a type token (`scan_rdp`, `scan6_rdp`, `event6_sinkhole`, `botnet_drone`). */
export function findReport(
  token: string,
  reports: Readonly<Record<string, ShadowserverReport>> = SHADOWSERVER_REPORTS,
): { key: string; report: ShadowserverReport } | undefined {
  const t = token.toLowerCase();
  const candidates = [t, ALIASES[t], t.replace(/^scan6_/, 'scan_'), t.replace(/^event6_/, 'event4_')];
  for (const c of candidates) {
    if (c !== undefined && Object.prototype.hasOwnProperty.call(reports, c)) return { key: c, report: reports[c]! };
  }
  return undefined;
}

/** The report type of a Shadowserver file name such as `2024-01-15-scan_rdp-taiwan-geo_tw.csv`. */
export function reportTokenOfFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(csv|txt)(\.gz)?$/i, '');
  const m = /^(?:\d{4}-\d{2}-\d{2}-)?([a-z0-9_]+)/i.exec(stem);
  return m?.[1];
}
