import axe from 'axe-core';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const BLOCKING = new Set(['serious', 'critical']);

function describe(violations: Result[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n${targets}`;
    })
    .join('\n');
}

/** Runs axe-core in the page (WCAG 2.1 A/AA rules and best practices). */
export async function runAxe(page: Page): Promise<AxeResults> {
  // The callbacks run in the browser; this file is typed without the DOM library, hence globalThis.
  const injected = await page.evaluate(() => 'axe' in globalThis);
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays in force
  // for the page itself, which a <script> tag or bypassCSP would not allow or would hide.
  if (!injected) await page.evaluate(axe.source);
  return page.evaluate(() => {
    const g = globalThis as unknown as { axe: typeof axe; document: Parameters<typeof axe.run>[0] };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
}

/** Fails with a readable list when the page has serious or critical accessibility violations. */
export async function expectNoSeriousA11yViolations(page: Page, label = page.url()): Promise<void> {
  const results = await runAxe(page);
  const blocking = results.violations.filter((v) => v.impact && BLOCKING.has(v.impact));
  if (blocking.length > 0) {
    throw new Error(`accessibility violations on ${label}:\n${describe(blocking)}`);
  }
}
