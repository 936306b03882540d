/**
 * One measurement of the feeds benchmark, run in its own process (so that its peak RSS is its own) and
 * printing one JSON line. Started by run.ts; can be run alone:
 *
 *   npx tsx bench/feeds/child.ts <mode> <report.csv> [constituents netblocks domains]
 *
 * modes: split (plain line-and-comma split: the floor), csv-parse (the npm package alone), tokenize (our CSV
 * tokenizer alone), parse (our Shadowserver parser: tokenize + harmonise), pipeline (parse → harmonise →
 * match → deduplicate → aggregate, then rendering every notice CSV, timed apart), lookups (the netblock
 * matcher alone).
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as csvParse } from 'csv-parse';
import {
  buildConstituentMatcher,
  createShadowserverParser,
  parseFeed,
  renderNoticeCsv,
  runFeedPipeline,
} from '../../src/modules/feeds/engine/index.js';
import { CsvTokenizer } from '../../src/modules/feeds/engine/io/csv-tokenizer.js';
import { pumpText } from '../../src/modules/feeds/engine/parsers/run.js';
import { formatIPv4, formatIPv6 } from '../../src/modules/feeds/engine/normalise/ip.js';
import { makeScopes, rng } from './data.js';

const [mode, file, c = '100000', n = '300000', d = '200000'] = process.argv.slice(2);
if (mode === undefined || file === undefined) throw new Error('usage: child.ts <mode> <report.csv> [constituents netblocks domains]');
const sizes = { constituents: Number(c), netblocks: Number(n), domains: Number(d) };
const CHUNK = 1 << 20;

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** VmHWM (peak RSS) of this process from /proc, in MB; resettable with resetPeakRss. */
function vmHwmMb(): number {
  const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}

/** Resets the kernel's peak-RSS mark (Linux: writing 5 to clear_refs), so that what follows is measured
 *  alone. Returns false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Times an async body: wall and CPU milliseconds. */
async function timed<T>(body: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await body();
  return { value, wallMs: performance.now() - t, cpuMs: cpuMs(cpu) };
}

async function split(): Promise<unknown> {
  const r = await timed(async () => {
    let rows = 0;
    let fields = 0;
    let rest = '';
    for await (const chunk of createReadStream(file!, { highWaterMark: CHUNK, encoding: 'utf8' })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop()!;
      for (const l of lines) {
        fields += l.split(',').length;
        rows++;
      }
    }
    if (rest !== '') {
      fields += rest.split(',').length;
      rows++;
    }
    return { rows: rows - 1, fields };
  });
  return { ...r.value, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMB: peakRssMb() };
}

async function csvParseOnly(): Promise<unknown> {
  const r = await timed(async () => {
    let rows = 0;
    let fields = 0;
    for await (const rec of createReadStream(file!, { highWaterMark: CHUNK }).pipe(csvParse({ bom: true, relax_column_count: true }))) {
      rows++;
      fields += (rec as string[]).length;
    }
    return { rows: rows - 1, fields };
  });
  return { ...r.value, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMB: peakRssMb() };
}

async function tokenize(): Promise<unknown> {
  const r = await timed(async () => {
    let rows = 0;
    let fields = 0;
    const t = new CsvTokenizer({
      record(_f, count) {
        rows++;
        fields += count;
      },
      malformed() {},
    });
    await pumpText(createReadStream(file!, { highWaterMark: CHUNK }), t);
    return { rows: rows - 1, fields };
  });
  return { ...r.value, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMB: peakRssMb() };
}

async function parseOnly(): Promise<unknown> {
  const r = await timed(async () => {
    let rows = 0;
    let rejected = 0;
    await parseFeed(
      createShadowserverParser(),
      createReadStream(file!, { highWaterMark: CHUNK }),
      { feedName: 'shadowserver-tw', observedAt: '2026-11-21T00:00:00Z', fileName: basename(file!) },
      { event: () => void rows++, reject: () => void rejected++ },
    );
    return { rows, rejected };
  });
  return { ...r.value, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMB: peakRssMb() };
}

async function pipeline(): Promise<unknown> {
  let scope: ReturnType<typeof makeScopes> | undefined = makeScopes(sizes);
  const t0 = performance.now();
  const { matcher } = buildConstituentMatcher(scope.scopes);
  const buildMs = performance.now() - t0;
  // In production the scopes come from the database and are dropped after the build; free the synthetic ones
  // and measure peak RSS from here: the matcher is in it, the generator's data is not.
  scope = undefined;
  collectGarbage();
  const rssAtStartMB = process.memoryUsage().rss / 2 ** 20;
  const reset = resetPeakRss();
  // Stand-in for the database writer, which would store each event under its key: here we only count.
  let emitted = 0;
  let sightingUpdates = 0;
  const r = await timed(async () => {
    const result = await runFeedPipeline({
      parser: createShadowserverParser(),
      source: createReadStream(file!, { highWaterMark: CHUNK }),
      parse: { feedName: 'shadowserver-tw', observedAt: '2026-11-21T00:00:00Z', fileName: basename(file!) },
      matcher,
      onEvent: () => void emitted++,
    });
    // The sighting updates as the database writer takes them (timed: making them is part of the work).
    for (const batch of result.sightingBatches()) for (const u of batch) if (u.key.length === 64 && u.lastSeen !== '') sightingUpdates++;
    return result;
  });
  const pipelinePeakRssMB = reset ? vmHwmMb() : peakRssMb();
  const csv = await timed(async () => {
    let bytes = 0;
    if (process.env.BENCH_NO_CSV === undefined) for (const draft of r.value.notices) bytes += renderNoticeCsv(draft).length;
    return bytes;
  });
  const s = r.value.stats;
  return {
    rows: s.rows,
    rejected: s.rejected,
    events: s.events,
    emitted,
    duplicates: s.duplicates,
    matched: s.matched,
    matchedBy: s.matchedBy,
    unmatched: s.unmatched.events,
    notices: s.notices,
    sightingUpdates,
    buildMs,
    matcherStats: matcher.stats,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    csvWallMs: csv.wallMs,
    csvBytes: csv.value,
    // Peak RSS while the pipeline ran (matcher included; measured alone when the kernel allows resetting the
    // mark), RSS when it started, and the process's lifetime peak (synthetic scope generation, notice CSVs).
    peakRssMB: pipelinePeakRssMB,
    peakRssIsolated: reset,
    rssAtStartMB,
    lifetimePeakRssMB: peakRssMb(),
  };
}

async function lookups(): Promise<unknown> {
  const scope = makeScopes(sizes);
  const t0 = performance.now();
  const { matcher } = buildConstituentMatcher(scope.scopes);
  const buildMs = performance.now() - t0;
  const r = rng(11);
  const N = 2_000_000;
  // Half the probes inside some netblock, half anywhere.
  const v4 = new Uint32Array(N);
  for (let i = 0; i < N; i++) v4[i] = i % 2 === 0 ? scope.v4Inside[Math.floor(r() * scope.v4Inside.length)]! : Math.floor(r() * 2 ** 32) >>> 0;
  const v6 = new Uint32Array(N * 4);
  for (let i = 0; i < N; i++) {
    v6.set(scope.v6Inside[Math.floor(r() * scope.v6Inside.length)]!, i * 4);
    if (i % 2 === 1) v6[i * 4] = (v6[i * 4]! ^ 0x0100_0000) >>> 0;
  }
  const best = (f: () => number, count: number): { perSecond: number; hits: number } => {
    let bestMs = Infinity;
    let hits = 0;
    for (let rep = 0; rep < 5; rep++) {
      const t = performance.now();
      hits = f();
      bestMs = Math.min(bestMs, performance.now() - t);
    }
    return { perSecond: Math.round((count / bestMs) * 1000), hits };
  };
  const ipv4 = best(() => {
    let hits = 0;
    for (let i = 0; i < N; i++) if (matcher.lookupIPv4(v4[i]!) >= 0) hits++;
    return hits;
  }, N);
  const ipv6 = best(() => {
    let hits = 0;
    for (let i = 0; i < N; i++) if (matcher.lookupIPv6(v6[i * 4]!, v6[i * 4 + 1]!, v6[i * 4 + 2]!, v6[i * 4 + 3]!) >= 0) hits++;
    return hits;
  }, N);
  // From text, as the pipeline does it (parse the canonical address, then look up).
  const M = 200_000;
  const v4Text = Array.from({ length: M }, (_, i) => formatIPv4(v4[i]!));
  const v6Text = Array.from({ length: M }, (_, i) => formatIPv6(v6.subarray(i * 4, i * 4 + 4)));
  const ipv4Text = best(() => v4Text.reduce((h, s) => (matcher.matchIp(s) !== null ? h + 1 : h), 0), M);
  const ipv6Text = best(() => v6Text.reduce((h, s) => (matcher.matchIp(s) !== null ? h + 1 : h), 0), M);
  const hosts = Array.from({ length: M }, (_, i) => (i % 2 === 0 ? `www.${scope.domains[i % scope.domains.length]!}` : `www.site${i}.example.net`));
  const domains = best(() => hosts.reduce((h, s) => (matcher.matchDomain(s) !== null ? h + 1 : h), 0), M);
  return { buildMs, matcherStats: matcher.stats, ipv4, ipv6, ipv4Text, ipv6Text, domains, peakRssMB: peakRssMb() };
}

const modes: Record<string, () => Promise<unknown>> = { split, 'csv-parse': csvParseOnly, tokenize, parse: parseOnly, pipeline, lookups };
const run = modes[mode];
if (run === undefined) throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify(await run()));
