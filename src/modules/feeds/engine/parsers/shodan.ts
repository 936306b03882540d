/**
 * Shodan-style banners, one JSON object a line (what `shodan download`/`shodan parse` and the streaming API
 * produce): `ip_str`, `port`, `transport`, `timestamp`, `asn`, `location.country_code`, `hostnames`,
 * `product`, `version`, `tags`, `vulns`, `_shodan.module`… Each banner is an exposed service; it is
 * classified by what it exposes (database, remote desktop, industrial protocol, IoT device) and as a
 * vulnerable system when Shodan lists CVEs for it.
 */
import type { JsonMappingSpec, RefineHook } from './mapping.js';
import { openMapped } from './mapping.js';
import type { FeedParser } from './types.js';

export const SHODAN_SPEC: JsonMappingSpec = {
  format: 'json',
  fields: {
    'source.ip': { from: ['ip_str', 'ip'], required: true },
    'source.port': { from: 'port' },
    'protocol.transport': { from: 'transport' },
    'protocol.application': { from: '_shodan.module' },
    'time.source': { from: 'timestamp' },
    'source.asn': { from: 'asn' },
    'source.as_name': { from: 'org' },
    'source.geolocation.cc': { from: 'location.country_code' },
    'source.geolocation.city': { from: 'location.city' },
    'source.reverse_dns': { from: 'hostnames' },
  },
  // Refined below from module, port, tags and vulns.
  constants: { 'classification.type': 'potentially-unwanted-accessible' },
  extra: [
    { from: 'product' },
    { from: 'version' },
    { from: 'os' },
    { from: 'isp' },
    { from: 'devicetype', name: 'device_type' },
    { from: 'tags' },
    { from: 'cpe' },
    { from: 'domains' },
    { from: 'hostnames' },
    { from: 'info' },
  ],
};

const DATABASES = new Set([
  'mongodb',
  'elastic',
  'elasticsearch',
  'redis',
  'mysql',
  'postgresql',
  'mssql',
  'memcached',
  'couchdb',
  'cassandra',
  'db2',
  'influxdb',
  'riak',
]);
const ICS = new Set([
  'modbus',
  's7',
  'bacnet',
  'dnp3',
  'ethernetip',
  'fox',
  'iec-104',
  'codesys',
  'general-electric-srtp',
  'omron-tcp',
  'pcworx',
  'proconos',
  'hart-ip',
  'melsec-q-tcp',
]);
const IOT_TAGS = new Set(['iot', 'camera', 'webcam', 'ics', 'router', 'nas', 'printer', 'scada']);
const PORT_SERVICE: Readonly<Record<number, string>> = {
  23: 'telnet',
  445: 'smb',
  3389: 'rdp',
  5900: 'vnc',
  27017: 'mongodb',
  9200: 'elastic',
  6379: 'redis',
  3306: 'mysql',
  5432: 'postgresql',
  11211: 'memcached',
  502: 'modbus',
  102: 's7',
  47808: 'bacnet',
  20000: 'dnp3',
};

function identifierFor(module: string | undefined, port: number | undefined, tags: string[]): string {
  const m = (module ?? '').toLowerCase().replace(/-(simple|tcp|udp|ssl|tls)$/, '');
  const service = m !== '' ? m : port !== undefined ? (PORT_SERVICE[port] ?? '') : '';
  if (service === 'rdp' || service === 'telnet' || service === 'smb' || service === 'vnc') return `accessible-${service}`;
  if (DATABASES.has(service)) return `open-${service === 'elastic' ? 'elasticsearch' : service}`;
  if (ICS.has(service)) return 'accessible-ics';
  if (tags.some((t) => IOT_TAGS.has(t))) return 'exposed-iot';
  return 'exposed-service';
}

const refine: RefineHook = (draft) => {
  const extra = (draft.extra ??= {});
  const tags = Array.isArray(extra.tags) ? extra.tags.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase()) : [];
  const module = typeof draft['protocol.application'] === 'string' ? draft['protocol.application'] : undefined;
  const port = typeof draft['source.port'] === 'number' ? draft['source.port'] : undefined;
  draft['classification.identifier'] = identifierFor(module, port, tags);
  const vulns = extra.vulns;
  if (vulns !== undefined && Array.isArray(vulns) && vulns.length > 0) draft['classification.type'] = 'vulnerable-system';
  return undefined;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function createShodanParser(): FeedParser {
  return {
    id: 'shodan',
    open(options, sink) {
      return openMapped(SHODAN_SPEC, options, sink, (draft, get, raw) => {
        // vulns is an object keyed by CVE (or, in some exports, a list): keep the sorted CVE identifiers.
        const v = raw('vulns');
        const cves = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : isObject(v) ? Object.keys(v) : [];
        if (cves.length > 0) (draft.extra ??= {}).vulns = cves.sort();
        const banner = raw('data');
        if (typeof banner === 'string' && banner !== '') (draft.extra ??= {}).banner = banner.slice(0, 500);
        return refine(draft, get, raw);
      });
    },
  };
}
