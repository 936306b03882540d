/**
 * Zone-h style defacement lists: one defaced site a row with when, who, where, and a mirror of the defaced
 * page. Column names vary between exports, so each field accepts the usual spellings.
 */
import type { CsvMappingSpec } from './mapping.js';
import { openMapped } from './mapping.js';
import type { FeedParser } from './types.js';

export const ZONEH_SPEC: CsvMappingSpec = {
  format: 'csv',
  fields: {
    'source.url': { from: ['url', 'defaced_url', 'domain', 'site', 'target'], convert: 'refanged-url', required: true },
    'time.source': { from: ['defaced_at', 'date', 'time', 'timestamp', 'reported_at'] },
    'source.ip': { from: ['ip', 'ip_address', 'server_ip'] },
    'source.geolocation.cc': { from: ['country', 'country_code', 'cc', 'location'] },
  },
  constants: {
    'classification.type': 'unauthorised-information-modification',
    'classification.identifier': 'defacement',
  },
  extra: [
    { from: 'notifier', name: 'defacer' },
    { from: 'defacer', name: 'defacer' },
    { from: 'attacker', name: 'defacer' },
    { from: 'os', name: 'os' },
    { from: 'system', name: 'os' },
    { from: 'web_server', name: 'web_server' },
    { from: 'server', name: 'web_server' },
    { from: 'mirror', name: 'mirror' },
    { from: 'mirror_url', name: 'mirror' },
    { from: 'homepage', name: 'homepage', convert: 'bool' },
    { from: 'mass', name: 'mass', convert: 'bool' },
    { from: 'redefacement', name: 'redefacement', convert: 'bool' },
    { from: 'reason', name: 'reason' },
  ],
};

export function createZoneHParser(): FeedParser {
  return { id: 'zone-h', open: (options, sink) => openMapped(ZONEH_SPEC, options, sink) };
}
