// The public portal in a real browser (Debian Chromium) against the real server:
// a citizen reports in Chinese and in English and follows both by their tracking links;
// a bad submission shows field errors and loses nothing typed; someone submits a suspicious file
// anonymously and reads its report by the secret link; axe-core on every page.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, expectNoSeriousA11yViolations, launchBrowser, newPage, startServer } from './helpers/index.js';
import type { RunningServer } from './helpers/index.js';
import { WEB_DIR } from './helpers/paths.js';

const run = promisify(execFile);

// Browser flows are long; a loaded 2-core CI machine must not fail them on time alone.
const TEST_TIMEOUT_MS = 180_000;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuild();
  // Anonymous sample submission is off by default; this portal offers it.
  [server, browser] = await Promise.all([startServer({ env: { TOCSIN_ANON_SAMPLES_PER_HOUR: '5' } }), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const { context, page, errors } = await newPage(browser, { baseURL: server.url });
  return { page, errors, close: () => context.close() };
}

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
const valueOf = (page: Page, selector: string) => page.locator(selector).inputValue();
const errorOf = (page: Page, field: string) => page.locator(`#report-${field}-error`).innerText();

async function submitAndConfirm(page: Page, submitLabel: string) {
  await page.getByRole('button', { name: submitLabel }).click();
  await page.waitForURL('**/report/submitted');
  const trackingNumber = (await page.getByTestId('tracking-number').innerText()).trim();
  const trackingLink = await page.getByTestId('tracking-link').inputValue();
  expect(trackingNumber).toMatch(/\S+-\d{4}-\d+/);
  expect(trackingLink).toMatch(/\/track\/[^/\s]+$/);
  return { trackingNumber, trackingPath: new URL(trackingLink).pathname };
}

describe('public portal', () => {
  it('keeps its initial JavaScript under 200 kB gzipped (the console loads lazily)', async () => {
    const { stdout } = await run(process.execPath, [join(WEB_DIR, 'scripts', 'size.mjs'), '--json']);
    const size = JSON.parse(stdout) as { initialJs: number; budget: number; lazyJs: number };
    expect(size.initialJs).toBeLessThanOrEqual(size.budget);
    expect(size.lazyJs).toBeGreaterThan(0); // the console is really split off
  });

  it('a citizen files a general report in Chinese and follows it by the tracking link', async () => {
    const { page, errors, close } = await openPage();
    await page.goto('/');
    expect(await htmlLang(page)).toBe('zh-TW');
    await page.getByRole('heading', { level: 1, name: '通報資安事件' }).waitFor();
    await page.getByRole('heading', { name: '通報方式' }).waitFor();
    await page.getByRole('heading', { name: '我們如何保護您的通報' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'home (zh-TW)');

    await page.getByRole('main').getByRole('link', { name: '通報資安事件' }).first().click();
    await page.waitForURL('**/report');
    await page.locator('#report-category').selectOption('phishing');
    await page.fill('#report-description', '我收到一則假冒銀行的簡訊，要我點連結登入並更新資料。');
    await page.fill('#report-occurredAt', '2026-03-01T09:30');
    await page.fill('#report-assets', 'https://phish.example.com/login\nphish.example.com');
    await page.fill('#report-name', '王小明');
    await page.fill('#report-email', 'ming@example.com');
    await page.fill('#report-phone', '0912-345-678');
    await page.setInputFiles('#report-attachments', {
      name: 'sms-screenshot.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('簡訊內容：您的帳戶異常，請至 https://phish.example.com/login 驗證'),
    });
    await page.getByText('sms-screenshot.txt').waitFor();
    await expectNoSeriousA11yViolations(page, 'general form (zh-TW, filled)');

    const { trackingNumber, trackingPath } = await submitAndConfirm(page, '送出通報');
    await expectNoSeriousA11yViolations(page, 'confirmation (zh-TW)');

    await page.goto(trackingPath);
    await page.getByRole('heading', { level: 1, name: '通報處理進度' }).waitFor();
    expect((await page.getByTestId('tracking-number').innerText()).trim()).toBe(trackingNumber);
    await page.getByText('已收到', { exact: true }).waitFor();
    await page.getByText('我收到一則假冒銀行的簡訊').waitFor();
    await page.getByText('sms-screenshot.txt').waitFor();
    await expectNoSeriousA11yViolations(page, 'tracking page (zh-TW)');

    await page.fill('#track-message', '補充：發送簡訊的號碼是 0987-654-321。');
    await page.getByRole('button', { name: '送出訊息' }).click();
    await page.getByText('訊息已送出。').waitFor();
    const thread = page.locator('[data-from="reporter"]');
    await thread.getByText('發送簡訊的號碼是 0987-654-321').waitFor();
    expect(await thread.innerText()).toContain('您');
    expect(await valueOf(page, '#track-message')).toBe('');

    await page.setInputFiles('#track-files', { name: 'headers.txt', mimeType: 'text/plain', buffer: Buffer.from('Received: from ...') });
    await page.getByRole('button', { name: '上傳檔案' }).click();
    await page.getByText('檔案已上傳。').waitFor();
    await page.reload();
    await page.getByText('headers.txt').waitFor();
    expect(errors).toEqual([]);
    await close();
  }, TEST_TIMEOUT_MS);

  it('a citizen files an advanced report in English and follows it by the tracking link', async () => {
    const { page, errors, close } = await openPage();
    await page.goto('/report/advanced');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await htmlLang(page)).toBe('en');
    await page.reload(); // the choice persists
    await page.getByRole('heading', { level: 1, name: 'Technical incident report' }).waitFor();
    expect(await htmlLang(page)).toBe('en');
    await expectNoSeriousA11yViolations(page, 'advanced form (en, empty)');

    await page.locator('#report-category').selectOption('malware');
    await page.fill('#report-title', 'Ransomware on a file server');
    await page.fill('#report-description', 'Files on FS01 were encrypted overnight; a ransom note was left in every share.');
    await page.fill('#report-occurredAt', '2026-03-02T02:10');
    await page.fill('#report-discoveredAt', '2026-03-02T07:45');
    await page.fill('#report-assets', '203.0.113.25\nfs01.corp.example.com');
    await page.fill('#report-sourceIps', '198.51.100.7');
    await page.fill('#report-destinationIps', '203.0.113.25, 2001:db8::25');
    await page.fill('#report-sourcePorts', '4444');
    await page.fill('#report-destinationPorts', '445, 3389');
    await page.fill('#report-protocol', 'TCP');
    await page.fill('#report-logs', '2026-03-02T02:09:58Z smbd[811]: connect from 198.51.100.7\n2026-03-02T02:10:03Z smbd[811]: rename *.docx -> *.locked');
    await page.fill('#report-indicators', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nevil-c2.example.net');
    await page.check('input[name="confidentiality"][value="high"]');
    await page.check('input[name="integrity"][value="high"]');
    await page.check('input[name="availability"][value="medium"]');
    await page.check('#report-coreBusinessAffected');
    await page.fill('#report-organisation', 'Example Manufacturing Co.');
    await page.fill('#report-email', 'soc@example.com');
    await expectNoSeriousA11yViolations(page, 'advanced form (en, filled)');

    const { trackingNumber, trackingPath } = await submitAndConfirm(page, 'Send report');
    await page.getByRole('heading', { level: 1, name: 'Thank you, your report was received' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'confirmation (en)');

    await page.goto(trackingPath);
    await page.getByRole('heading', { level: 1, name: 'Report status' }).waitFor();
    expect((await page.getByTestId('tracking-number').innerText()).trim()).toBe(trackingNumber);
    await page.getByText('Received', { exact: true }).waitFor();
    await page.getByText('Ransomware on a file server').waitFor();
    await page.getByText('fs01.corp.example.com').waitFor();
    await expectNoSeriousA11yViolations(page, 'tracking page (en)');
    expect(errors).toEqual([]);
    await close();
  }, TEST_TIMEOUT_MS);

  it('an anonymous report needs no contact details', async () => {
    const { page, close } = await openPage();
    await page.goto('/report');
    await page.locator('#report-category').selectOption('fraud');
    await page.fill('#report-description', '有人假冒網拍賣家要我匯款。');
    await page.locator('#report-anonymous').check();
    await expect.poll(() => page.locator('#report-email').count()).toBe(0);
    await submitAndConfirm(page, '送出通報');
    await close();
  }, TEST_TIMEOUT_MS);

  it('a bad submission shows field errors, from the browser and from the server, and loses nothing typed', async () => {
    const { page, close } = await openPage();
    await page.goto('/report');

    // Validation as the user types (after leaving the field).
    await page.fill('#report-email', 'not-an-email');
    await page.locator('#report-email').blur();
    expect(await errorOf(page, 'email')).toContain('請輸入電子郵件地址');
    expect(await page.locator('#report-email').getAttribute('aria-invalid')).toBe('true');
    await page.fill('#report-assets', 'https://ok.example.com/\nnot a host!!');
    await page.locator('#report-assets').blur();
    expect(await errorOf(page, 'assets')).toContain('「not a host!!」');

    await page.locator('#report-category').selectOption('phishing');
    await page.fill('#report-name', '陳大文');
    await page.setInputFiles('#report-attachments', { name: 'evidence.txt', mimeType: 'text/plain', buffer: Buffer.from('evidence') });
    await page.getByRole('button', { name: '送出通報' }).click();

    // The summary takes focus and lists every problem; nothing typed is gone.
    const summary = page.getByRole('alert').filter({ hasText: '通報尚未送出' });
    await summary.waitFor();
    await expect.poll(() => page.locator('[role="alert"]:focus').count()).toBe(1);
    expect(await summary.innerText()).toContain('此欄位為必填');
    expect(await errorOf(page, 'description')).toContain('此欄位為必填');
    expect(await valueOf(page, '#report-email')).toBe('not-an-email');
    expect(await valueOf(page, '#report-assets')).toBe('https://ok.example.com/\nnot a host!!');
    expect(await valueOf(page, '#report-name')).toBe('陳大文');
    await page.getByText('evidence.txt').waitFor();
    expect(page.url()).toMatch(/\/report$/);
    await expectNoSeriousA11yViolations(page, 'general form with errors (zh-TW)');

    // Fix what the browser can check; then make the server refuse the e-mail address in flight,
    // to see the server's own field error (in the user's language) next to the field.
    await page.fill('#report-email', 'dawen@example.com');
    await page.fill('#report-assets', 'https://ok.example.com/');
    await page.fill('#report-description', '可疑的登入頁面。');
    await page.route('**/api/v1/reports', async (route) => {
      const body = route.request().postDataBuffer()?.toString('latin1') ?? '';
      await route.continue({ postData: Buffer.from(body.replace('dawen@example.com', 'dawen@@example'), 'latin1') });
    });
    await page.getByRole('button', { name: '送出通報' }).click();
    await page.locator('#report-email-error').waitFor();
    expect(await errorOf(page, 'email')).toMatch(/[\u4e00-\u9fff]/); // a Chinese message
    await page.getByRole('alert').filter({ hasText: '通報尚未送出' }).waitFor();
    expect(await valueOf(page, '#report-description')).toBe('可疑的登入頁面。');
    expect(await valueOf(page, '#report-name')).toBe('陳大文');
    await page.getByText('evidence.txt').waitFor();
    await page.unroute('**/api/v1/reports');

    // Editing the field clears the server's message; the same form then goes through.
    await page.fill('#report-email', 'dawen@example.org');
    expect(await page.locator('#report-email-error').count()).toBe(0);
    await submitAndConfirm(page, '送出通報');
    await close();
  }, TEST_TIMEOUT_MS);

  it('an unknown tracking link says so, and every portal page has a main landmark and language', async () => {
    const { page, close } = await openPage();
    await page.goto('/track/this-token-does-not-exist-0000');
    await page.getByRole('heading', { level: 1, name: '找不到通報' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'unknown tracking link');
    await page.goto('/no/such/page');
    await page.getByRole('heading', { level: 1, name: '找不到頁面' }).waitFor();
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    await close();
  }, TEST_TIMEOUT_MS);
  it('someone submits a suspicious file anonymously and reads the analysis by the private link', async () => {
    const { page, errors, close } = await openPage();
    await page.goto('/');
    await page.getByRole('link', { name: '送出可疑檔案分析' }).click();
    await page.getByRole('heading', { level: 1, name: '送出可疑檔案' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'public sample submission');
    // The EICAR anti-virus test string, written here rather than kept in a file.
    const eicar = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');
    await page.locator('#public-sample-file').setInputFiles({ name: 'suspicious.com', mimeType: 'application/octet-stream', buffer: Buffer.from(eicar) });
    await page.getByRole('button', { name: '開始分析' }).click();
    await page.waitForURL(/\/samples\/[^/]{20,}$/);
    const link = await page.getByTestId('sample-link').inputValue();
    expect(new URL(link).pathname).toBe(new URL(page.url()).pathname);
    await page.getByTestId('verdict').first().getByText('惡意').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verdict-reasons').innerText()).toContain('EICAR 防毒測試檔');
    await page.getByRole('link', { name: 'PDF 報告' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'public sample report');
    // The link alone reads the report, in any browser; a wrong one finds nothing.
    await page.goto(new URL(link).pathname);
    await page.getByTestId('verdict').first().getByText('惡意').waitFor();
    await page.goto('/samples/not-a-real-token-but-long-enough');
    await page.getByText('此連結沒有對應的報告').waitFor();
    expect(errors).toEqual([]);
    await close();
  }, TEST_TIMEOUT_MS);
});
