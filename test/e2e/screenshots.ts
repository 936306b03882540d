// Takes screenshots of the main pages for the docs: a real server with a little data, real Chromium.
// Usage: npx tsx test/e2e/screenshots.ts [outDir=docs/screenshots]
// Chinese text needs a CJK font on the machine (Debian: fonts-noto-cjk or fonts-wqy-microhei).
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureWebBuild, launchBrowser, newPage, startServer } from './helpers/index.js';
import { selectByText, setupPathFrom, signIn } from './helpers/console.js';

const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
const ADMIN = { username: 'admin', password: 'screenshot admin passphrase' };

// Fixed and sticky bars (the console's header and navigation) would be painted where the page
// happened to be scrolled, in the middle of a full-page shot: while capturing they are taken out
// of the viewport's flow (position: absolute at the top), then put back. A string, because this
// file is typed without the DOM library.
const PIN_BARS = `(() => {
  window.scrollTo(0, 0);
  const changed = [];
  for (const el of document.querySelectorAll('body *')) {
    const position = getComputedStyle(el).position;
    if (position === 'fixed' || position === 'sticky') {
      changed.push([el, el.style.position]);
      el.style.position = 'absolute';
    }
  }
  window.__tocsinUnpin = () => { for (const [el, value] of changed) el.style.position = value; };
})()`;
const UNPIN_BARS = '(() => { window.__tocsinUnpin?.(); delete window.__tocsinUnpin; })()';

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(PIN_BARS);
  await page.screenshot({ path: resolve(outDir, `${name}.png`), fullPage: true });
  await page.evaluate(UNPIN_BARS);
  process.stdout.write(`${name}.png\n`);
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await ensureWebBuild();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, { baseURL: server.url });
    await page.goto('/');
    await shot(page, 'portal-home');
    await page.goto('/report');
    await page.locator('#report-category').selectOption('phishing');
    await page.fill('#report-description', '我收到一則假冒銀行的簡訊，要我點連結登入並更新資料。');
    await page.fill('#report-assets', 'https://phish.example.com/login');
    await page.fill('#report-email', 'not-an-email');
    await page.getByRole('button', { name: '送出通報' }).click();
    await shot(page, 'portal-report-errors');
    await page.fill('#report-email', 'ming@example.com');
    await page.getByRole('button', { name: '送出通報' }).click();
    await page.waitForURL('**/report/submitted');
    await shot(page, 'portal-confirmation');
    const trackingPath = new URL(await page.getByTestId('tracking-link').inputValue()).pathname;

    const en = await newPage(browser, { baseURL: server.url, locale: 'en' });
    await en.page.goto('/report/advanced');
    await en.page.getByRole('button', { name: 'English' }).click();
    await shot(en.page, 'portal-advanced-form-en');

    await page.goto(setupPathFrom(server.output()));
    await page.fill('#setup-username', ADMIN.username);
    await page.fill('#setup-display', '值班分析師');
    await page.fill('#setup-password', ADMIN.password);
    await page.fill('#setup-repeat', ADMIN.password);
    await page.getByRole('button', { name: '建立管理者' }).click();
    await page.getByText('已建立管理者').waitFor();
    await page.goto('/console/login');
    await shot(page, 'console-login');
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/console?tab=reports');
    await page.locator('[data-row]').first().waitFor();
    await shot(page, 'console-queue-reports');
    await page.locator('[data-row-link]').first().click();
    await page.getByRole('button', { name: '建立事件' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: '建立事件' }).click();
    await page.waitForURL('**/console/incidents/*');
    await page.selectOption('#incident-rsit-class', 'fraud');
    await page.selectOption('#incident-rsit-type', 'phishing');
    await page.selectOption('#incident-level', '2');
    await page.locator('#classification-title').locator('..').getByRole('button', { name: '儲存' }).click();
    await page.getByTestId('deadlines').getByText('損害控制或復原').waitFor();
    await selectByText(page, '#handoff-partner', 'EC-CERT');
    await page.fill('#handoff-note', '請協助聯繫網域註冊商下架釣魚網站。');
    await page.getByRole('button', { name: '轉交', exact: true }).click();
    await page.getByLabel('給通報人').check();
    await page.fill('#comment-body', '感謝您的通報，我們已請相關單位處理。');
    await page.getByRole('button', { name: '傳送給通報人' }).click();
    await page.locator('[data-visibility="reporter"]').waitFor();
    await shot(page, 'console-incident');
    await page.goto('/console');
    await page.locator('[data-row]').first().waitFor();
    await shot(page, 'console-queue-incidents');
    await page.goto('/console/stats');
    await page.getByRole('cell', { name: '詐騙' }).waitFor();
    await shot(page, 'console-statistics');
    await page.goto('/console/admin');
    await shot(page, 'console-administration');
    await page.goto(trackingPath);
    await page.locator('[data-from="team"]').waitFor();
    await shot(page, 'portal-tracking');
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
