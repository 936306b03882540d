// Prints the gzipped size of the public portal's initial JavaScript (and CSS), read from the
// Vite manifest of a production build: the entry chunk plus everything it imports statically.
// Lazily loaded chunks (the staff console) are listed apart and do not count.
// Usage: npx vite build --config web/vite.config.ts && npx node web/scripts/size.mjs [--json]
// Exits 1 when the initial JavaScript exceeds the budget (200 kB gzipped).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const BUDGET_BYTES = 200_000;
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error('no entry in the Vite manifest');

const initial = new Set();
const css = new Set();
(function visit(key) {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const file of chunk.css ?? []) css.add(file);
  for (const imported of chunk.imports ?? []) visit(imported);
})(entryKey);

const lazy = Object.values(manifest)
  .map((chunk) => chunk.file)
  .filter((file) => file.endsWith('.js') && !initial.has(file));

const rows = [...initial].map((file) => ({ file, gzip: gz(file) }));
const cssRows = [...css].map((file) => ({ file, gzip: gz(file) }));
const lazyRows = [...new Set(lazy)].map((file) => ({ file, gzip: gz(file) }));
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const cssTotal = cssRows.reduce((sum, row) => sum + row.gzip, 0);
const lazyTotal = lazyRows.reduce((sum, row) => sum + row.gzip, 0);

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ initialJs: total, initialCss: cssTotal, lazyJs: lazyTotal, budget: BUDGET_BYTES, rows, cssRows, lazyRows }, null, 2)}\n`);
} else {
  const out = [];
  out.push('Portal initial JavaScript (gzip -9):');
  for (const row of rows) out.push(`  ${kb(row.gzip).padStart(10)}  ${row.file}`);
  out.push(`  ${kb(total).padStart(10)}  total (budget ${kb(BUDGET_BYTES)})`);
  out.push('Portal initial CSS:');
  for (const row of cssRows) out.push(`  ${kb(row.gzip).padStart(10)}  ${row.file}`);
  out.push(`Lazy chunks (console etc.): ${lazyRows.length} files, ${kb(lazyTotal)} gzipped in all`);
  for (const row of lazyRows.sort((a, b) => b.gzip - a.gzip).slice(0, 10)) out.push(`  ${kb(row.gzip).padStart(10)}  ${row.file}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
if (total > BUDGET_BYTES) {
  process.stderr.write(`portal initial JavaScript ${kb(total)} exceeds the budget of ${kb(BUDGET_BYTES)}\n`);
  process.exitCode = 1;
}
