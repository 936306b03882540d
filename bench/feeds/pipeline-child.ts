/**
 * Child process of the feeds benchmark: builds the matcher, runs the full pipeline over the report file and
 * renders every notice CSV, then prints one JSON line with timings and this process's peak RSS. Run alone
 * so that its peak RSS is the pipeline's (plus the runtime's own).
 *
 *   npx tsx bench/feeds/pipeline-child.ts <report.csv> [constituents=100000] [netblocks=300000] [domains=200000]
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { buildConstituentMatcher, createShadowserverParser, renderNoticeCsv, runFeedPipeline } from '../../src/modules/feeds/engine/index.js';
import { makeScopes } from './data.js';

const [file, c = '100000', n = '300000', d = '200000'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: pipeline-child.ts <report.csv> [constituents] [netblocks] [domains]');

let scope: ReturnType<typeof makeScopes> | undefined = makeScopes({ constituents: Number(c), netblocks: Number(n), domains: Number(d) });
const rssBefore = process.memoryUsage().rss;

let t = performance.now();
const { matcher, problems } = buildConstituentMatcher(scope.scopes);
const buildMs = performance.now() - t;
// In production the scopes come from the database and are gone after the build; free the synthetic ones.
scope = undefined;

// Stand-in for the database writer: it would store each event under its key; here we only count them.
let emitted = 0;
t = performance.now();
const cpu0 = process.cpuUsage();
const result = await runFeedPipeline({
  parser: createShadowserverParser(),
  source: createReadStream(file, { highWaterMark: 1 << 20 }),
  parse: { feedName: 'shadowserver-tw', observedAt: '2026-11-21T00:00:00Z', fileName: basename(file) },
  matcher,
  onEvent: () => {
    emitted++;
  },
});
const cpu = process.cpuUsage(cpu0);
const pipelineMs = performance.now() - t;
const pipelineCpuMs = (cpu.user + cpu.system) / 1000;

t = performance.now();
let csvBytes = 0;
for (const draft of result.notices) csvBytes += renderNoticeCsv(draft).length;
const csvMs = performance.now() - t;

const s = result.stats;
console.log(
  JSON.stringify({
    buildMs,
    matcherStats: matcher.stats,
    problems: problems.length,
    pipelineMs,
    pipelineCpuMs,
    emitted,
    sightings: result.sightings.length,
    csvMs,
    csvBytes,
    rows: s.rows,
    parsed: s.parsed,
    rejected: s.rejected,
    events: s.events,
    duplicates: s.duplicates,
    matched: s.matched,
    matchedBy: s.matchedBy,
    unmatched: s.unmatched.events,
    notices: s.notices,
    rssBeforeMB: rssBefore / 2 ** 20,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
