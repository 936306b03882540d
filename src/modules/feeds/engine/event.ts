/**
 * The harmonised feed event. Field names follow IntelMQ's harmonisation (flat, dotted keys) so that a CERT
 * moving from IntelMQ recognises them; `extra` is one JSON object, as in IntelMQ (where `extra.foo` is a key
 * inside the single `extra` field).
 *
 * Every value is already normalised when an event leaves a parser:
 * - IP addresses canonical (IPv4 dotted quad without leading zeros, IPv6 in RFC 5952 form, IPv4-mapped IPv6
 *   written as IPv4);
 * - networks canonical CIDR with host bits cleared;
 * - FQDNs lower-case ASCII (IDNs in punycode), without a trailing dot;
 * - URLs with lower-case scheme and host, host in punycode;
 * - times ISO 8601 in UTC (`2024-01-15T03:12:45.000Z`);
 * - country codes upper-case ISO 3166-1 alpha-2; ports and ASNs numbers.
 */
import type { RsitTaxonomy } from './taxonomy.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FeedEvent {
  'feed.name': string;
  'feed.provider'?: string;
  'feed.url'?: string;

  'time.source'?: string;
  'time.observation': string;

  'classification.taxonomy': RsitTaxonomy;
  'classification.type': string;
  'classification.identifier'?: string;

  'source.ip'?: string;
  'source.port'?: number;
  'source.asn'?: number;
  'source.as_name'?: string;
  'source.network'?: string;
  'source.fqdn'?: string;
  'source.reverse_dns'?: string;
  'source.url'?: string;
  'source.geolocation.cc'?: string;
  'source.geolocation.region'?: string;
  'source.geolocation.city'?: string;

  'destination.ip'?: string;
  'destination.port'?: number;
  'destination.asn'?: number;
  'destination.fqdn'?: string;
  'destination.url'?: string;
  'destination.geolocation.cc'?: string;

  'protocol.transport'?: string;
  'protocol.application'?: string;

  'malware.name'?: string;
  'event_description.text'?: string;

  extra?: { [key: string]: JsonValue };
}

/** Names of the typed (non-extra) fields. */
export type EventField = Exclude<keyof FeedEvent, 'extra'>;

/** How each typed field is normalised; the single source of truth for the converters and validation. */
export type FieldKind =
  | 'string'
  | 'lower'
  | 'ip'
  | 'network'
  | 'port'
  | 'asn'
  | 'fqdn'
  | 'url'
  | 'cc'
  | 'time'
  | 'taxonomy'
  | 'type';

export const EVENT_FIELDS: Readonly<Record<EventField, FieldKind>> = {
  'feed.name': 'string',
  'feed.provider': 'string',
  'feed.url': 'url',
  'time.source': 'time',
  'time.observation': 'time',
  'classification.taxonomy': 'taxonomy',
  'classification.type': 'type',
  'classification.identifier': 'lower',
  'source.ip': 'ip',
  'source.port': 'port',
  'source.asn': 'asn',
  'source.as_name': 'string',
  'source.network': 'network',
  'source.fqdn': 'fqdn',
  'source.reverse_dns': 'fqdn',
  'source.url': 'url',
  'source.geolocation.cc': 'cc',
  'source.geolocation.region': 'string',
  'source.geolocation.city': 'string',
  'destination.ip': 'ip',
  'destination.port': 'port',
  'destination.asn': 'asn',
  'destination.fqdn': 'fqdn',
  'destination.url': 'url',
  'destination.geolocation.cc': 'cc',
  'protocol.transport': 'lower',
  'protocol.application': 'lower',
  'malware.name': 'lower',
  'event_description.text': 'string',
};

export function isEventField(name: string): name is EventField {
  return Object.prototype.hasOwnProperty.call(EVENT_FIELDS, name);
}

/** A rejected input row: where (1-based line where the record starts) and why. */
export interface RejectedRow {
  line: number;
  reason: string;
  /** The start of the offending input, truncated, for the console. */
  excerpt?: string;
}
