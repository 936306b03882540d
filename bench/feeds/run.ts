/**
 * Feeds benchmark: a generated Shadowserver-style report against 100,000 constituents holding 300,000
 * netblocks (IPv4 and IPv6) and 200,000 domains. In one run, on one core (taskset), each in its own process:
 *   split      a plain line-and-comma split of the file (the floor for parsing in JavaScript)
 *   csv-parse  the csv-parse package alone
 *   tokenize   our CSV tokenizer alone
 *   parse      our Shadowserver parser (tokenize + harmonise)
 *   pipeline   parse → harmonise → match → deduplicate → aggregate (events/s, peak RSS); notice CSVs timed apart
 *   lookups    the netblock matcher alone (IPv4 and IPv6 lookups/s), its build time, text and domain lookups
 *
 *   npx tsx bench/feeds/run.ts [--rows 1000000] [--repeat 3] [--report both|scan_rdp|compromised_website] [--keep] [--no-pin]
 *
 * Two report kinds (data.ts): an exposed-RDP scan (the common high-volume kind: addresses only) and
 * compromised websites (every row builds a URL; some owners are found by domain). Generated files go to a
 * temporary directory, removed afterwards unless --keep. Not part of npm test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeScopes, reportFileName, writeReport } from './data.js';
import type { ReportKind } from './data.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const rows = Number(arg('rows', '1000000'));
const repeat = Number(arg('repeat', '3'));
const pin = !flag('no-pin') && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const here = fileURLToPath(new URL('.', import.meta.url));
const child = join(here, 'child.ts');

function cpuModel(): string {
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

interface Measure {
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  [k: string]: unknown;
}

function runChild(mode: string, file: string): Measure {
  const cmd = pin ? 'taskset' : process.execPath;
  // The last core: the first is where the system and other processes tend to land.
  const core = String(Math.max(0, availableParallelism() - 1));
  const args = [...(pin ? ['-c', core, process.execPath] : []), '--import', 'tsx', child, mode, file];
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as Measure;
}

function best(mode: string, file: string, times: number): { best: Measure; all: Measure[] } {
  const all: Measure[] = [];
  for (let i = 0; i < times; i++) {
    const m = runChild(mode, file);
    all.push(m);
    process.stderr.write(`  ${mode} #${i + 1}: ${(m.wallMs / 1000).toFixed(2)} s wall, ${(m.cpuMs / 1000).toFixed(2)} s CPU, ${m.peakRssMB.toFixed(0)} MB\n`);
  }
  const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
  return { best: sorted[0]!, all };
}

const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-feeds-'));
const kinds: ReportKind[] = arg('report', 'both') === 'both' ? ['scan_rdp', 'compromised_website'] : [arg('report', '') as ReportKind];
const machine = {
  nproc: availableParallelism(),
  cpu: cpuModel(),
  node: process.version,
  pinned: pin,
  loadBefore: loadavg().map((x) => x.toFixed(2)).join(' '),
};
process.stderr.write(`machine: ${JSON.stringify(machine)}\n`);

const rate = (m: Measure) => Math.round(rows / (m.wallMs / 1000));
const cpuRate = (m: Measure) => Math.round(rows / (m.cpuMs / 1000));

async function measure(kind: ReportKind, scope: ReturnType<typeof makeScopes>): Promise<object> {
  const file = join(dir, reportFileName(kind));
  const t = performance.now();
  const bytes = await writeReport(file, rows, scope, kind);
  process.stderr.write(`${kind}: generated ${rows} rows (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const results: Record<string, { best: Measure; all: Measure[] }> = {};
  for (const mode of ['split', 'tokenize', 'parse', 'pipeline']) results[mode] = best(mode, file, repeat);
  // csv-parse is slow: once is enough to know its rate.
  results['csv-parse'] = best('csv-parse', file, 1);
  const table = ['split', 'csv-parse', 'tokenize', 'parse', 'pipeline'].map((mode) => {
    const m = results[mode]!.best;
    return { mode, rowsPerSecond: rate(m), rowsPerCpuSecond: cpuRate(m), wallS: +(m.wallMs / 1000).toFixed(2), cpuS: +(m.cpuMs / 1000).toFixed(2), peakRssMB: Math.round(m.peakRssMB) };
  });
  const p = results.pipeline!.best;
  rmSync(file, { force: true });
  return {
    report: kind,
    file: { rows, bytes },
    table,
    ratios: {
      pipelineVsCsvParse: +(rate(p) / rate(results['csv-parse']!.best)).toFixed(2),
      pipelineVsSplit: +(rate(p) / rate(results.split!.best)).toFixed(2),
      cpuPipelineVsCsvParse: +(cpuRate(p) / cpuRate(results['csv-parse']!.best)).toFixed(2),
      cpuPipelineVsSplit: +(cpuRate(p) / cpuRate(results.split!.best)).toFixed(2),
    },
    pipeline: {
      events: p.events,
      duplicates: p.duplicates,
      matched: p.matched,
      matchedBy: p.matchedBy,
      unmatched: p.unmatched,
      notices: p.notices,
      rejected: p.rejected,
      matcherBuildMs: Math.round(p.buildMs as number),
      rssAtStartMB: Math.round(p.rssAtStartMB as number),
      peakRssIsolated: p.peakRssIsolated,
      lifetimePeakRssMB: Math.round(p.lifetimePeakRssMB as number),
      noticeCsvS: +((p.csvWallMs as number) / 1000).toFixed(2),
      noticeCsvMiB: +((p.csvBytes as number) / 2 ** 20).toFixed(0),
    },
    allRuns: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.all.map((m) => ({ wallS: +(m.wallMs / 1000).toFixed(2), cpuS: +(m.cpuMs / 1000).toFixed(2), peakRssMB: Math.round(m.peakRssMB) }))])),
  };
}

try {
  const t = performance.now();
  const scope = makeScopes();
  const reports = [];
  for (const kind of kinds) reports.push(await measure(kind, scope));
  const lookups = runChild('lookups', join(dir, 'none'));
  console.log(
    JSON.stringify(
      { machine: { ...machine, loadAfter: loadavg().map((x) => x.toFixed(2)).join(' ') }, reports, lookups, benchSeconds: Math.round((performance.now() - t) / 1000) },
      null,
      2,
    ),
  );
} finally {
  if (flag('keep')) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
