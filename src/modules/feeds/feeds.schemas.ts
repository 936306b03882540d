import { Type, type Static } from 'typebox';
import { TLP_VALUES } from '../incidents/taxonomy.js';
import { PARSER_KINDS } from './feed-parsers.js';

export const SCHEDULE_PATTERN = '^[1-9][0-9]{0,4}[mhd]$';

export const FeedSourceInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    parser: Type.Enum(PARSER_KINDS),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    provider: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    defaultTlp: Type.Enum(TLP_VALUES),
    /** Feeds by URL: fetched every `schedule` (both or neither). */
    pollUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 2000, pattern: '^https?://' }), Type.Null()])),
    /** Poll interval: minutes, hours or days, e.g. "30m", "6h", "1d" (at least 5 minutes). */
    schedule: Type.Optional(Type.Union([Type.String({ maxLength: 10, pattern: SCHEDULE_PATTERN }), Type.Null()])),
    /** Feeds by mail: the source's own address; attachments of mail sent to it from an allowed sender are imported. */
    mailAddress: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()])),
    /** Senders allowed to feed it by mail: addresses, or "@domain" for a whole domain. */
    mailSenders: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 320, pattern: '^(?:[^@\\s]+@[^@\\s]+\\.[^@\\s]+|@[^@\\s]+\\.[^@\\s]+)$' }), { maxItems: 50 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FeedSourceInput = Static<typeof FeedSourceInputSchema>;

export const FeedSourcePatchSchema = Type.Partial(FeedSourceInputSchema, { additionalProperties: false, minProperties: 1 });
export type FeedSourcePatch = Static<typeof FeedSourcePatchSchema>;

export const FeedImportSchema = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  method: Type.String(),
  fileName: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer(),
  observedAt: Type.String(),
  status: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  events: Type.Integer(),
  notices: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String(), excerpt: Type.Optional(Type.String()) })),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type FeedImport = Static<typeof FeedImportSchema>;

export const FeedSourceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parser: Type.String(),
  options: Type.Record(Type.String(), Type.Unknown()),
  provider: Type.Union([Type.String(), Type.Null()]),
  defaultTlp: Type.String(),
  pollUrl: Type.Union([Type.String(), Type.Null()]),
  schedule: Type.Union([Type.String(), Type.Null()]),
  mailAddress: Type.Union([Type.String(), Type.Null()]),
  mailSenders: Type.Array(Type.String()),
  /** URL polling: when the next fetch is due, when the last one ran, and its error (null when it worked). */
  poll: Type.Object({ nextAt: Type.Union([Type.String(), Type.Null()]), lastAt: Type.Union([Type.String(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]) }),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  lastImport: Type.Union([FeedImportSchema, Type.Null()]),
});
export type FeedSource = Static<typeof FeedSourceSchema>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const EventSchema = Type.Object({
  id: Type.String(),
  dedupKey: Type.String(),
  feedSourceId: Type.String(),
  'feed.name': Type.String(),
  'classification.taxonomy': Type.String(),
  'classification.type': Type.String(),
  'classification.identifier': Nullable(Type.String()),
  'source.ip': Nullable(Type.String()),
  'source.port': Type.Union([Type.Integer(), Type.Null()]),
  'source.asn': Type.Union([Type.Integer(), Type.Null()]),
  'source.fqdn': Nullable(Type.String()),
  'source.url': Nullable(Type.String()),
  'source.network': Nullable(Type.String()),
  'source.geolocation.cc': Nullable(Type.String()),
  'protocol.transport': Nullable(Type.String()),
  'protocol.application': Nullable(Type.String()),
  'malware.name': Nullable(Type.String()),
  'time.source': Nullable(Type.String()),
  'time.observation': Type.String(),
  extra: Type.Record(Type.String(), Type.Unknown()),
  constituentId: Nullable(Type.String()),
  /** The owner's name, for lists (null without an owner). */
  constituentName: Nullable(Type.String()),
  matchedBy: Nullable(Type.String()),
  matchedOn: Nullable(Type.String()),
  sightings: Type.Integer(),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  tlp: Type.String(),
  noticeId: Nullable(Type.String()),
});
export type EventView = Static<typeof EventSchema>;

export const EventsQuerySchema = Type.Object({
  constituentId: Type.Optional(Type.String({ format: 'uuid' })),
  type: Type.Optional(Type.String({ maxLength: 60 })),
  feedSourceId: Type.Optional(Type.String({ format: 'uuid' })),
  importId: Type.Optional(Type.String({ format: 'uuid' })),
  /** The events a notice names. */
  noticeId: Type.Optional(Type.String({ format: 'uuid' })),
  /** true: only events with an owner; false: only those without. */
  matched: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type EventsQuery = Static<typeof EventsQuerySchema>;

export const UnmatchedSummarySchema = Type.Object({
  total: Type.Integer(),
  byCountry: Type.Array(Type.Object({ cc: Type.String(), events: Type.Integer() })),
  byAsn: Type.Array(Type.Object({ asn: Type.Union([Type.Integer(), Type.Null()]), events: Type.Integer() })),
});
