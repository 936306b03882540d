import { Invalid } from '../../lib/errors.js';
import {
  createDropParser,
  createMappedParser,
  createPhishingParser,
  createShadowserverParser,
  createShodanParser,
  createZoneHParser,
  FeedConfigError,
  type DropParserOptions,
  type FeedParser,
  type MappingSpec,
  type PhishingFormat,
  type ShadowserverParserOptions,
} from './engine/index.js';

export const PARSER_KINDS = ['shadowserver', 'zone-h', 'phishing', 'shodan', 'drop', 'mapping'] as const;
export type ParserKind = (typeof PARSER_KINDS)[number];

/** A feed source's parser from its kind and options (options are the engine's, as JSON). */
export function parserFor(kind: string, options: Record<string, unknown>): FeedParser {
  try {
    switch (kind as ParserKind) {
      case 'shadowserver':
        return createShadowserverParser(options as ShadowserverParserOptions);
      case 'zone-h':
        return createZoneHParser();
      case 'phishing':
        return createPhishingParser(options as { format?: PhishingFormat });
      case 'shodan':
        return createShodanParser();
      case 'drop':
        return createDropParser(options as DropParserOptions);
      case 'mapping':
        return createMappedParser(options as unknown as MappingSpec);
    }
  } catch (err) {
    if (err instanceof FeedConfigError) throw new Invalid('validation_failed', undefined, { details: [{ field: 'options', code: 'feed_bad_config', message: err.message }] });
    throw err;
  }
  throw new Invalid('validation_failed', undefined, { details: [{ field: 'parser', code: 'unknown_parser', message: kind }] });
}
