/**
 * Shadowserver report CSVs. The report type comes from the parser configuration or the file name; columns
 * are mapped by header name through the table in shadowserver-reports.ts.
 */
import type { CsvMappingSpec, RefineHook } from './mapping.js';
import { openMapped } from './mapping.js';
import { FAMILY_FIELDS, findReport, reportTokenOfFileName, SHADOWSERVER_REPORTS } from './shadowserver-reports.js';
import type { ShadowserverReport } from './shadowserver-reports.js';
import type { FeedParser } from './types.js';
import { FeedConfigError } from './types.js';

export interface ShadowserverParserOptions {
  /** Report type token (`scan_rdp`…); default: taken from the file name of each input. */
  reportType?: string;
  /** Extra or replacement report types. */
  reports?: Readonly<Record<string, ShadowserverReport>>;
}

export function shadowserverSpec(report: ShadowserverReport, key: string): CsvMappingSpec {
  const constants: CsvMappingSpec['constants'] = {
    'classification.type': report.type,
    'feed.provider': 'Shadowserver',
  };
  if (report.identifier !== undefined) constants['classification.identifier'] = report.identifier;
  if (report.application !== undefined) constants['protocol.application'] = report.application;
  if (report.transport !== undefined) constants['protocol.transport'] = report.transport;
  // Constants are defaults: a column with the same meaning (protocol, application) wins when present.
  const fields = { ...FAMILY_FIELDS[report.family], ...report.fields };
  // extra.report names the report an event came from (for the console).
  return { format: 'csv', fields, constants, extra: 'unmapped', extraConstants: { report: key } };
}

/** Infection reports: the malware family is the identifier, as IntelMQ does. */
const infectionIdentifier: RefineHook = (draft) => {
  if (draft['classification.identifier'] === undefined && typeof draft['malware.name'] === 'string') {
    draft['classification.identifier'] = draft['malware.name'];
  }
  return undefined;
};

export function createShadowserverParser(config: ShadowserverParserOptions = {}): FeedParser {
  const reports = { ...SHADOWSERVER_REPORTS, ...config.reports };
  if (config.reportType !== undefined && findReport(config.reportType, reports) === undefined) {
    throw new FeedConfigError(`unknown Shadowserver report type "${config.reportType}"`);
  }
  return {
    id: 'shadowserver',
    open(options, sink) {
      const token = config.reportType ?? (options.fileName === undefined ? undefined : reportTokenOfFileName(options.fileName));
      if (token === undefined) {
        throw new FeedConfigError('Shadowserver: no report type configured and no file name to recognise it from');
      }
      const found = findReport(token, reports);
      if (found === undefined) {
        throw new FeedConfigError(
          `unknown Shadowserver report type "${token}"; add a mapping for it (createShadowserverParser({ reports }))`,
        );
      }
      const spec = shadowserverSpec(found.report, found.key);
      // Constants from the report are defaults; protocol columns present in the file override them, because
      // table fields are applied after the constants.
      return openMapped(spec, options, sink, found.report.family === 'scan' ? undefined : infectionIdentifier);
    },
  };
}
