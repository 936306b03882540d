/**
 * Public API of the feed-processing engine: pure TypeScript, no database. The feeds module's services
 * (imports, storage, notices) are built on these.
 */
export type { FeedEvent, EventField, JsonValue, RejectedRow } from './event.js';
export { EVENT_FIELDS } from './event.js';
export { RSIT_TYPES, taxonomyOfType, isRsitType } from './taxonomy.js';
export type { RsitTaxonomy, RsitType } from './taxonomy.js';
export { harmoniseEvent } from './harmonise.js';
export type { HarmoniseResult } from './harmonise.js';
export { normaliseIp, normaliseNetwork, parseCidr } from './normalise/ip.js';
export { normaliseFqdn, normaliseUrl, refang } from './normalise/host.js';

export type { FeedParser, ParseOptions, ParseSink, TextSink } from './parsers/types.js';
export { FeedFormatError, FeedConfigError } from './parsers/types.js';
export { parseFeed, collectFeed } from './parsers/run.js';
export type { FeedSource, ParsedFeed } from './parsers/run.js';
export { createShadowserverParser } from './parsers/shadowserver.js';
export type { ShadowserverParserOptions } from './parsers/shadowserver.js';
export { SHADOWSERVER_REPORTS } from './parsers/shadowserver-reports.js';
export type { ShadowserverReport } from './parsers/shadowserver-reports.js';
export { createZoneHParser } from './parsers/zoneh.js';
export { createPhishingParser } from './parsers/phishing.js';
export type { PhishingFormat } from './parsers/phishing.js';
export { createShodanParser } from './parsers/shodan.js';
export { createDropParser } from './parsers/drop.js';
export type { DropParserOptions } from './parsers/drop.js';
export { createMappedParser, validateMapping } from './parsers/mapping.js';
export type { MappingSpec, CsvMappingSpec, JsonMappingSpec, FieldRule, ExtraRule } from './parsers/mapping.js';
export type { Conversion } from './normalise/convert.js';

export { buildConstituentMatcher, ConstituentMatcher } from './match/matcher.js';
export type { ConstituentScope, ConstituentMatch, MatchedBy, ScopeProblem, MatcherBuild, MatcherStats } from './match/matcher.js';

export { Deduplicator, dedupIdentity, dedupKeyOf, sightingTime, DAY_MS } from './dedup/dedup.js';
export type { DedupedEvent, DedupOptions, SightingState } from './dedup/dedup.js';

export { NoticeAggregator, renderNoticeCsv, noticeTable, csvCell } from './aggregate/notices.js';
export type { NoticeDraft, NoticeHost } from './aggregate/notices.js';
export { NOTICE_TOPICS, topicFor } from './aggregate/catalogue.js';
export type { NoticeTopic, Bilingual } from './aggregate/catalogue.js';

export { runFeedPipeline } from './pipeline.js';
export type { PipelineOptions, PipelineResult, PipelineStats, SightingUpdate, TypeStats } from './pipeline.js';
