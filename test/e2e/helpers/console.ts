import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';

/** The `/setup?token=…` path from the first-run line the server prints. */
export function setupPathFrom(output: string): string {
  const match = /\/setup\?token=([^\s]+)/.exec(output);
  if (!match?.[1]) throw new Error(`the server printed no setup link:\n${output}`);
  return `/setup?token=${match[1]}`;
}

/**
 * A TOTP code `stepsAhead` periods from now. The server refuses a code twice (replay) and accepts
 * the next period for clock drift, so a second sign-in uses stepsAhead = 1.
 */
export function totp(secret: string, stepsAhead = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

/** Picks the <option> whose text contains `text` (values are ids the test does not know). */
export async function selectByText(page: Page, selector: string, text: string): Promise<void> {
  const options = await page.locator(`${selector} option`).evaluateAll((els) =>
    els.map((el) => ({ value: (el as unknown as { value: string }).value, text: el.textContent ?? '' })),
  );
  const found = options.find((o) => o.text.includes(text));
  if (!found) throw new Error(`no option containing "${text}" in ${selector}: ${options.map((o) => o.text).join(' | ')}`);
  await page.selectOption(selector, found.value);
}

export async function signIn(page: Page, username: string, password: string, code?: () => string): Promise<void> {
  await page.goto('/console/login');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.locator('form button[type="submit"]').click();
  if (code) {
    await page.locator('#login-code').waitFor();
    await page.fill('#login-code', code());
    await page.locator('form button[type="submit"]').click();
  }
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/login'));
}

export async function signOut(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  await page.waitForURL('**/console/login');
}

/** Fails when the page shows an untranslated i18n key (`console.…`), e.g. one missing from a catalogue. */
export async function expectNoRawKeys(page: Page): Promise<void> {
  const text = await page.locator('main').innerText();
  const raw = /\b(console|home|report|track)\.[a-zA-Z]+\.[a-zA-Z.]+/.exec(text);
  if (raw) throw new Error(`untranslated key on ${page.url()}: ${raw[0]}`);
}
