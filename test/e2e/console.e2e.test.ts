// The staff console in a real browser against the real server: first-run set-up, an analyst who
// enrols TOTP and signs in with it, triage of two reports into one incident, classification,
// deadlines, a hand-off to a partner CERT, a message to the reporter that shows on the tracking
// page, and a partner user who sees only what was handed to it. axe-core on every page.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, expectNoSeriousA11yViolations, launchBrowser, newPage, startServer } from './helpers/index.js';
import type { RunningServer } from './helpers/index.js';
import { selectByText, setupPathFrom, signIn, signOut, totp } from './helpers/console.js';

// Browser flows are long; a loaded 2-core CI machine must not fail them on time alone.
const TEST_TIMEOUT_MS = 180_000;
let server: RunningServer;
let browser: Browser;
const ADMIN = { username: 'admin', password: 'admin passphrase for tests 1' };
const ANALYST = { username: 'analyst', password: 'analyst passphrase for tests 2' };
const PARTNER = { username: 'tacert', password: 'partner passphrase for tests 3' };
const tracking: { token: string; number: string }[] = [];
let incidentPath = '';

beforeAll(async () => {
  await ensureWebBuild();
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  // Two citizens' reports, through the public API (the portal's forms have their own tests).
  const bodies = [
    { channel: 'web-general', language: 'zh-TW', category: 'phishing', description: '收到假冒學校的釣魚信，連到 https://login.school-example.tw/ 要求輸入帳密。', assets: ['https://login.school-example.tw/'], reporter: { name: '林同學', email: 'student@example.edu.tw' } },
    { channel: 'web-advanced', language: 'en', category: 'phishing', title: 'Credential phishing against university accounts', description: 'Same phishing site seen in our mail gateway logs.', assets: ['login.school-example.tw'], reporter: { email: 'soc@example.edu.tw' }, technical: { sourceIps: ['198.51.100.23'], protocol: 'HTTPS' } },
  ];
  for (const body of bodies) {
    const response = await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { trackingToken: string; trackingNumber: string };
    tracking.push({ token: created.trackingToken, number: created.trackingNumber });
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fresh(locale = 'zh-TW'): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, { baseURL: server.url, locale });
  return { page, close: () => context.close() };
}

describe('staff console', () => {
  it('the first administrator is created from the one-time link and adds an analyst and a partner user', async () => {
    const { page, close } = await fresh();
    await page.goto(setupPathFrom(server.output()));
    await page.getByRole('heading', { level: 1, name: '建立第一位管理者' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'setup');
    await page.fill('#setup-username', ADMIN.username);
    await page.fill('#setup-display', '系統管理者');
    await page.fill('#setup-password', ADMIN.password);
    await page.fill('#setup-repeat', ADMIN.password);
    await page.getByRole('button', { name: '建立管理者' }).click();
    await page.getByText('已建立管理者').waitFor();
    await page.goto('/console/login');
    await page.getByRole('heading', { level: 1, name: '工作人員登入' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'sign-in');

    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { level: 1, name: '待辦佇列' }).waitFor();
    await page.getByRole('link', { name: '系統管理' }).click();
    await page.getByRole('heading', { level: 1, name: '系統管理' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'administration');

    for (const user of [
      { ...ANALYST, name: '分析員小陳', role: 'analyst', organisation: null },
      { ...PARTNER, name: 'TACERT 值班', role: 'partner', organisation: 'TACERT' },
    ]) {
      await page.fill('#new-user-username', user.username);
      await page.fill('#new-user-name', user.name);
      await page.fill('#new-user-password', user.password);
      await page.selectOption('#new-user-role', user.role);
      if (user.organisation) await selectByText(page, '#new-user-organisation', user.organisation);
      await page.getByRole('button', { name: '建立使用者' }).click();
      await page.getByRole('cell', { name: user.username, exact: true }).waitFor();
    }
    await signOut(page, '登出');
    await close();
  }, TEST_TIMEOUT_MS);

  it('an analyst enrols TOTP, signs in with it, and triages both reports into one incident', async () => {
    const { page, close } = await fresh();
    await signIn(page, ANALYST.username, ANALYST.password);
    await page.getByRole('link', { name: '雙因素登入' }).click();
    await page.getByRole('button', { name: '開始設定' }).click();
    const secret = (await page.getByTestId('mfa-secret').innerText()).trim();
    await expectNoSeriousA11yViolations(page, 'MFA enrolment');
    await page.fill('#mfa-code', totp(secret));
    await page.getByRole('button', { name: '啟用' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    expect((await page.getByTestId('recovery-codes').locator('li').count()) > 0).toBe(true);
    await expectNoSeriousA11yViolations(page, 'recovery codes');
    await page.getByRole('button', { name: '我已保存' }).click();
    await signOut(page, '登出');

    // Password, then the code the server asks for.
    await signIn(page, ANALYST.username, ANALYST.password, () => totp(secret, 1));
    await page.getByRole('heading', { level: 1, name: '待辦佇列' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'queue (incidents)');

    await page.getByRole('tab', { name: '新通報' }).click();
    for (const report of tracking) await page.getByRole('link', { name: report.number }).waitFor();
    await expectNoSeriousA11yViolations(page, 'queue (reports)');
    await page.getByRole('link', { name: tracking[1]?.number ?? '' }).click();
    await page.getByRole('heading', { level: 1, name: 'Credential phishing against university accounts' }).waitFor();
    await page.getByText('198.51.100.23').waitFor();
    await expectNoSeriousA11yViolations(page, 'report page');
    await page.goBack();
    await page.getByRole('link', { name: tracking[0]?.number ?? '' }).waitFor();
    // Keyboard triage: j moves to a row, x selects it.
    await page.locator('body').click();
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByText('已勾選 2 筆').waitFor();
    await page.getByRole('button', { name: '建立事件' }).click();
    await page.fill('#new-incident-title', '假冒學校登入頁面的釣魚攻擊');
    await page.getByRole('dialog').getByRole('button', { name: '建立事件' }).click();
    await page.waitForURL('**/console/incidents/*');
    incidentPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: '相關通報（2）' }).waitFor();

    // Classification, TLP and level; the level starts the deadlines.
    await page.selectOption('#incident-rsit-class', 'fraud');
    await page.selectOption('#incident-rsit-type', 'phishing');
    await page.selectOption('#incident-tlp', 'AMBER');
    await page.selectOption('#incident-level', '3');
    await page.selectOption('#incident-state', 'in_progress');
    await page.locator('#classification-title').locator('..').getByRole('button', { name: '儲存' }).click();
    await page.getByTestId('tlp-badge').filter({ hasText: 'TLP:AMBER' }).first().waitFor();
    await page.getByTestId('deadlines').getByText('等級審核').waitFor();
    expect(await page.getByTestId('deadlines').innerText()).toContain('損害控制或復原');

    // Hand-off to a partner CERT, and a message to the reporter.
    await selectByText(page, '#handoff-partner', 'TACERT');
    await page.fill('#handoff-note', '請協助通知相關學校並下架釣魚頁面。');
    await page.getByRole('button', { name: '轉交', exact: true }).click();
    await page.getByTestId('handoff').getByText('請協助通知相關學校').waitFor();
    await page.getByLabel('給通報人').check();
    await page.fill('#comment-body', '感謝您的通報，我們已通知相關單位處理。Thank you, we have alerted the site owner.');
    await page.getByRole('button', { name: '傳送給通報人' }).click();
    await page.locator('[data-visibility="reporter"]').getByText('感謝您的通報').waitFor();
    await page.getByLabel('內部註記').check();
    await page.fill('#comment-body', '內部：來源 IP 198.51.100.23 已列入觀察。');
    await page.getByRole('button', { name: '新增內部註記' }).click();
    await page.locator('[data-visibility="internal"]').getByText('已列入觀察').waitFor();
    // The timeline names reports, partners and values; it shows no ids or JSON.
    const timeline = page.getByTestId('timeline');
    await timeline.getByText(/已轉交 TACERT/).waitFor();
    const timelineText = await timeline.innerText();
    for (const report of tracking) expect(timelineText).toContain(report.number);
    expect(timelineText).toContain('等級設為 3 級');
    expect(timelineText).not.toMatch(/reportIds|partnerId|handoffId|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expectNoSeriousA11yViolations(page, 'incident page');
    await close();
  }, TEST_TIMEOUT_MS);

  it('each reporter sees the team message on the tracking page, and nothing internal', async () => {
    const { page, close } = await fresh();
    for (const report of tracking) {
      await page.goto(`/track/${report.token}`);
      await page.locator('[data-from="team"]').getByText('感謝您的通報').waitFor();
      expect(await page.locator('main').innerText()).not.toContain('198.51.100.23 已列入觀察');
    }
    await close();
  }, TEST_TIMEOUT_MS);

  it('a partner user sees only the incident handed to it, without internal notes, and answers', async () => {
    const { page, close } = await fresh('en');
    await signIn(page, PARTNER.username, PARTNER.password);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    const rows = page.locator('[data-row]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'New reports' }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page, 'partner queue');
    await rows.first().locator('[data-row-link]').click();
    await page.waitForURL(`**${incidentPath}`);
    await page.getByTestId('handoff').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('已列入觀察');
    expect(text).not.toContain('student@example.edu.tw');
    await page.getByTestId('handoff').getByLabel('Feedback').fill('Acknowledged; contacting the school.');
    await page.getByTestId('handoff').getByLabel('Status').selectOption('acknowledged');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.getByTestId('handoff').getByText('Acknowledged; contacting the school.').waitFor();
    await expectNoSeriousA11yViolations(page, 'incident page (partner)');

    // Someone else's incident stays out of reach.
    await page.goto('/console/partners');
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await close();
  }, TEST_TIMEOUT_MS);

  it('the administrator reads the statistics, exports them as CSV, and browses partners and constituents', async () => {
    const { page, close } = await fresh();
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('link', { name: '統計' }).click();
    await page.getByRole('heading', { level: 1, name: '統計' }).waitFor();
    await page.getByRole('heading', { name: '各 RSIT 分類事件數' }).waitFor();
    await page.getByRole('cell', { name: '詐騙' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'statistics');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '匯出 CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).toContain('rsit_class,fraud,1');
    expect(csv).toContain('level,3,1');
    expect(csv).toContain('total,reports,2');

    await page.getByRole('link', { name: '合作夥伴' }).click();
    await page.getByRole('link', { name: 'TACERT' }).click();
    await page.getByRole('heading', { level: 1, name: /TACERT/ }).waitFor();
    await expectNoSeriousA11yViolations(page, 'partner page');
    await page.getByRole('link', { name: '服務對象' }).first().click();
    await page.getByRole('heading', { level: 1, name: '服務對象' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'constituents');
    await close();
  }, TEST_TIMEOUT_MS);

  it('staff log a report taken by phone and read the tracking number back to the caller', async () => {
    const { page, close } = await fresh();
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('link', { name: '登錄電話通報' }).click();
    await page.getByRole('heading', { level: 1, name: '登錄電話通報' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'phone report form');
    await page.locator('#report-category').selectOption('fraud');
    await page.fill('#report-description', '來電者表示接到假冒客服的電話，被要求操作 ATM。');
    await page.fill('#report-name', '張先生');
    await page.fill('#report-phone', '02-2345-6789');
    await page.getByRole('button', { name: '儲存通報' }).click();
    const number = (await page.getByTestId('tracking-number').innerText()).trim();
    expect(number).toMatch(/\S+-\d{4}-\d+/);
    expect(await page.locator('#report-description').inputValue()).toBe(''); // ready for the next call
    await page.goto('/console?tab=reports&rchannel=phone');
    await page.getByRole('link', { name: number }).waitFor();
    await close();
  }, TEST_TIMEOUT_MS);
});
