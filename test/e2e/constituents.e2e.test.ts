// Constituent management in the console against a real server: an administrator creates a
// constituent with netblocks, a domain and a contact whose PGP key GnuPG made; the server's
// refusals (a netblock with host bits set, a netblock another constituent holds → 409 naming it)
// appear at the netblock field with the line and with what was typed kept; a CSV file with bad
// lines is refused as a whole with each line and reason listed, then a corrected one is imported;
// the export downloads; a constituent is deleted after a confirmation; a phishing feed's events and notices show on the constituent's tabs; an
// analyst reads without edit controls; the English UI has no untranslated keys; axe on each view.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { GnuPG } from '../../src/lib/pgp/testing/gnupg.js';
import { ensureWebBuild, expectNoSeriousA11yViolations, launchBrowser, newPage, startServer } from './helpers/index.js';
import type { RunningServer } from './helpers/index.js';
import { eventually } from './helpers/cli.js';
import { expectNoRawKeys, selectByText, setupPathFrom, signIn } from './helpers/console.js';

const TEST_TIMEOUT_MS = 180_000;
const ADMIN = { username: 'admin', password: 'admin passphrase for constituent tests' };
const ANALYST = { username: 'reader', password: 'analyst passphrase for constituent tests' };
const UNIVERSITY = '範例大學';
const HOSPITAL = '範例大學附設醫院';
const CONTACT = 'soc@univ-example.edu.tw';
let server: RunningServer;
let browser: Browser;
let gpg: GnuPG;
let page: Page;
let universityPath = '';

/** A JSON request in the admin's session (with its CSRF token), for set-up the UI is not under test for. */
async function adminApi<T>(method: 'GET' | 'POST', path: string, body?: string | object, contentType = 'application/json'): Promise<T> {
  const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
  const response = await page.request.fetch(path, {
    method,
    headers: { 'x-csrf-token': session.csrfToken, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { data: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

beforeAll(async () => {
  await ensureWebBuild();
  [server, browser, gpg] = await Promise.all([startServer(), launchBrowser(), GnuPG.create()]);
  await gpg.generateKey(`University SOC <${CONTACT}>`);
  ({ page } = await newPage(browser, { baseURL: server.url }));
  await page.goto(setupPathFrom(server.output()));
  await page.fill('#setup-username', ADMIN.username);
  await page.fill('#setup-display', '系統管理者');
  await page.fill('#setup-password', ADMIN.password);
  await page.fill('#setup-repeat', ADMIN.password);
  await page.getByRole('button', { name: '建立管理者' }).click();
  await page.getByText('已建立管理者').waitFor();
  await signIn(page, ADMIN.username, ADMIN.password);
  await adminApi('POST', '/api/v1/users', { username: ANALYST.username, displayName: '分析員', password: ANALYST.password, role: 'analyst' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await gpg?.close();
});

describe('constituent pages', () => {
  it('an administrator creates a constituent with netblocks, a domain and a contact with a PGP key', async () => {
    await page.getByRole('link', { name: '服務對象', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '服務對象' }).waitFor();
    await page.getByRole('link', { name: '新增服務對象' }).click();
    await page.getByRole('heading', { level: 1, name: '新增服務對象' }).waitFor();
    await page.fill('#constituent-name', UNIVERSITY);
    await page.selectOption('#constituent-sector', 'education');
    await selectByText(page, '#constituent-partnerId', 'TACERT');
    await page.fill('#constituent-netblocks', '203.0.113.0/24\n\n2001:DB8:10::/48\n');
    await page.fill('#constituent-asns', 'AS64500');
    await page.fill('#constituent-domains', 'univ-example.edu.tw');
    await page.getByRole('button', { name: '新增聯絡人' }).click();
    await page.fill('#contact-0-name', '資安小組');
    await page.fill('#contact-0-role', '資安長');
    await page.fill('#contact-0-email', CONTACT);
    await page.selectOption('#contact-0-notifyMode', 'daily');
    await page.selectOption('#contact-0-tlpCeiling', 'AMBER+STRICT');
    await page.fill('#contact-0-eventTypes', 'phishing scanner');
    await page.fill('#contact-0-pgpKey', await gpg.exportPublic(CONTACT));
    await expectNoSeriousA11yViolations(page, 'new constituent form');
    await page.getByRole('button', { name: '建立服務對象' }).click();
    await page.waitForURL(/\/console\/constituents\/[0-9a-f-]{36}$/);
    universityPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: UNIVERSITY }).waitFor();
    // Stored in canonical form: the IPv6 block in lower case, the ASN without its prefix.
    expect(await page.getByTestId('scope-netblocks').innerText()).toContain('2001:db8:10::/48');
    expect(await page.getByTestId('scope-asns').innerText()).toContain('AS64500');
    const contacts = await page.getByTestId('contacts').innerText();
    for (const text of [CONTACT, '資安長', '每日摘要', 'TLP:AMBER+STRICT', 'phishing scanner', '有 PGP 公鑰']) expect(contacts).toContain(text);
    await page.locator('main').getByRole('link', { name: /^TACERT · / }).waitFor();
    await expectNoSeriousA11yViolations(page, 'constituent page');

    // The list counts its scope and contacts.
    await page.getByRole('link', { name: '← 服務對象' }).click();
    const row = page.getByTestId('constituents').getByRole('row', { name: new RegExp(UNIVERSITY) });
    await row.waitFor();
    expect((await row.locator('td').allInnerTexts()).slice(1)).toEqual(['學術教育', expect.stringContaining('TACERT'), '2', '1', '1', expect.any(String)]);
  }, TEST_TIMEOUT_MS);

  it("refuses a malformed netblock and one another constituent holds at the field, keeping what was typed", async () => {
    await page.goto('/console/constituents/new');
    await page.fill('#constituent-name', HOSPITAL);
    await page.selectOption('#constituent-sector', 'healthcare');
    const netblocks = page.locator('#constituent-netblocks');
    await netblocks.fill('198.51.100.0/24\n10.0.0.1/8');
    await page.fill('#constituent-domains', 'hospital.univ-example.edu.tw');
    await page.getByRole('button', { name: '建立服務對象' }).click();
    const error = page.locator('#constituent-netblocks-error');
    await error.getByText('第 2 行：「10.0.0.1/8」的主機位元不為零；是指 10.0.0.0/8 嗎？').waitFor();
    await page.getByRole('alert').getByText('未儲存：請修正下列問題').waitFor();

    // The whole /24 is the university's: 409, at the line that names it, with the holder.
    await netblocks.fill('198.51.100.0/24\n203.0.113.0/24');
    await page.getByRole('button', { name: '建立服務對象' }).click();
    await error.getByText(`第 2 行：203.0.113.0/24 已屬於「${UNIVERSITY}」。`).waitFor();
    expect(await netblocks.inputValue()).toBe('198.51.100.0/24\n203.0.113.0/24');
    expect(await page.locator('#constituent-name').inputValue()).toBe(HOSPITAL);
    expect(await page.locator('#constituent-domains').inputValue()).toBe('hospital.univ-example.edu.tw');
    expect(await netblocks.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page, 'constituent form with server errors');

    // A more specific block inside the university's is allowed (the most specific owner wins).
    await netblocks.fill('198.51.100.0/24\n203.0.113.128/25');
    await page.getByRole('button', { name: '建立服務對象' }).click();
    await page.getByRole('heading', { level: 1, name: HOSPITAL }).waitFor();
    expect(await page.getByTestId('scope-netblocks').innerText()).toContain('203.0.113.128/25');
  }, TEST_TIMEOUT_MS);

  it('edits a constituent: a taken domain is refused at its line, then the change is saved', async () => {
    await page.getByRole('button', { name: '編輯' }).click();
    const domains = page.locator('#constituent-domains');
    await domains.fill('hospital.univ-example.edu.tw\nuniv-example.edu.tw');
    await page.getByRole('button', { name: '儲存變更' }).click();
    await page.locator('#constituent-domains-error').getByText(`第 2 行：univ-example.edu.tw 已屬於「${UNIVERSITY}」。`).waitFor();
    expect(await domains.inputValue()).toBe('hospital.univ-example.edu.tw\nuniv-example.edu.tw');
    await domains.fill('hospital.univ-example.edu.tw\nclinic.univ-example.edu.tw');
    await page.getByRole('button', { name: '新增聯絡人' }).click();
    await page.fill('#contact-0-name', 'IT');
    await page.fill('#contact-0-email', 'not-an-address');
    await page.getByRole('button', { name: '儲存變更' }).click();
    await page.locator('#contact-0-email-error').getByText('電子郵件地址格式不正確。').waitFor();
    await page.fill('#contact-0-email', 'it@hospital.example.tw');
    // A key made for someone else's address is refused at the key, naming the address it is for.
    await page.fill('#contact-0-pgpKey', await gpg.exportPublic(CONTACT));
    await page.getByRole('button', { name: '儲存變更' }).click();
    await page.locator('#contact-0-pgpKey-error').getByText(`此公鑰屬於 ${CONTACT}，與聯絡人的電子郵件不符。`).waitFor();
    await page.fill('#contact-0-pgpKey', '');
    await page.getByRole('button', { name: '儲存變更' }).click();
    await page.getByTestId('constituent-saved').waitFor();
    expect(await page.getByTestId('scope-domains').innerText()).toContain('clinic.univ-example.edu.tw');
    expect(await page.getByTestId('contacts').innerText()).toContain('it@hospital.example.tw');
  }, TEST_TIMEOUT_MS);

  it('imports constituents from CSV all or nothing, listing every bad line, and exports them', async () => {
    const header = 'name,sector,partner,netblocks,asns,domains,contact_name,contact_role,contact_email,contact_language,notify_mode,tlp_ceiling,event_types';
    const school = '範例國中,education,TACERT,192.0.2.0/26,,jhs.example.edu.tw,王老師,資訊組長,it@jhs.example.edu.tw,zh-TW,weekly,GREEN,';
    const bad = [header, school, '範例銀行,banking,,192.0.2.64/26,,bank.example.com.tw,,,,,,,', '範例診所,healthcare,,300.1.2.0/24,,clinic.example.com.tw,,,,,,,'].join('\n');
    await page.goto('/console/constituents');
    await page.getByRole('button', { name: '以 CSV 匯入' }).click();
    await page.getByRole('heading', { name: '以 CSV 匯入' }).waitFor();
    await page.setInputFiles('#constituent-import-file', { name: 'constituents.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('import-file').getByText('constituents.csv').waitFor();
    await page.getByRole('button', { name: '匯入', exact: true }).click();
    const problems = page.getByTestId('import-problems');
    await problems.waitFor();
    const rows = await problems.locator('tbody tr').allInnerTexts();
    expect(rows).toEqual([expect.stringMatching(/^第 3 行\s+未知的領域：「banking」$/), expect.stringMatching(/^第 4 行\s+「300\.1\.2\.0\/24」不是有效的 IPv4／IPv6 CIDR 網段。$/)]);
    await expectNoSeriousA11yViolations(page, 'constituents: import refused');
    // Nothing was imported, not even the good first row.
    expect(await page.getByTestId('constituents').innerText()).not.toContain('範例國中');

    const good = [header, school, '範例銀行,finance,,192.0.2.64/26,,bank.example.com.tw,,,,,,,'].join('\n');
    await page.setInputFiles('#constituent-import-file', { name: 'fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: '匯入', exact: true }).click();
    await page.getByTestId('import-done').getByText('已匯入 2 列：新增 2 個、更新 0 個服務對象。').waitFor();
    await page.getByTestId('constituents').getByRole('link', { name: '範例國中' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '匯出 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('constituents.csv');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(header);
    const university = csv.split('\r\n').find((line) => line.startsWith(`${UNIVERSITY},`)) ?? '';
    expect(university).toMatch(/^範例大學,education,TACERT,(203\.0\.113\.0\/24 2001:db8:10::\/48|2001:db8:10::\/48 203\.0\.113\.0\/24),64500,univ-example\.edu\.tw,/);
    expect(university).toContain(`資安小組,資安長,${CONTACT},zh-TW,daily,AMBER+STRICT,phishing scanner`);
    expect(csv).toContain('範例國中,education,TACERT,192.0.2.0/26');
    expect(csv).toContain('範例銀行,finance');

    // Deleting asks once more, then the constituent is gone from the list.
    await page.getByTestId('constituents').getByRole('link', { name: '範例銀行' }).click();
    await page.getByRole('heading', { level: 1, name: '範例銀行' }).waitFor();
    await page.getByRole('button', { name: '刪除' }).click();
    await page.getByText('確定刪除「範例銀行」？其負責範圍與聯絡人將一併刪除。').waitFor();
    await page.getByRole('button', { name: '確定刪除' }).click();
    await page.getByRole('heading', { level: 1, name: '服務對象' }).waitFor();
    await page.getByTestId('constituents').getByRole('link', { name: '範例國中' }).waitFor();
    await expect.poll(() => page.getByTestId('constituents').innerText()).not.toContain('範例銀行');
  }, TEST_TIMEOUT_MS);

  it("shows a feed's events for the constituent and its notices, linked to their pages", async () => {
    const feed = await adminApi<{ id: string }>('POST', '/api/v1/feeds', { name: 'Phishing list', parser: 'phishing', options: { format: 'text' }, defaultTlp: 'GREEN' });
    const started = await adminApi<{ id: string }>('POST', `/api/v1/feeds/${feed.id}/import?fileName=phish.txt`, 'http://login.univ-example.edu.tw/sso\n', 'text/plain');
    await eventually(async () => ((await adminApi<{ status: string }>('GET', `/api/v1/feed-imports/${started.id}`)).status === 'done' ? true : null), 'the feed import');
    await page.goto(universityPath);
    await page.getByRole('tab', { name: '近期事件' }).click();
    const events = page.getByTestId('events');
    await events.waitFor();
    const eventText = await events.innerText();
    expect(eventText).toContain('網路釣魚 phishing'); // the RSIT type's name, and the id contacts choose by
    expect(eventText).toContain('http://login.univ-example.edu.tw/sso');
    expect(eventText).toContain('Phishing list');
    await expectNoSeriousA11yViolations(page, 'constituent events');
    await page.getByRole('tab', { name: '主動告知' }).click();
    const notice = page.getByTestId('notices').getByRole('link').first();
    await notice.waitFor();
    expect(await notice.getAttribute('href')).toMatch(/^\/console\/notices\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('notices').innerText()).toContain(CONTACT);
    await expectNoSeriousA11yViolations(page, 'constituent notices');
  }, TEST_TIMEOUT_MS);

  it('English pages have no untranslated keys', async () => {
    await page.goto('/console/constituents');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Import from CSV' }).click();
    await page.getByRole('heading', { name: 'Import from CSV' }).waitFor();
    await expectNoRawKeys(page);
    await page.goto(universityPath);
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(await page.getByTestId('contacts').innerText()).toContain('Daily digest');
    await expectNoRawKeys(page);
    for (const tab of ['Recent events', 'Notices']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('tabpanel').locator('table').waitFor();
      await expectNoRawKeys(page);
    }
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.locator('#constituent-netblocks').fill('203.0.113.0/24\nnot-a-block');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#constituent-netblocks-error').getByText('Line 2: "not-a-block" is not a valid IPv4/IPv6 CIDR netblock.').waitFor();
    await expectNoRawKeys(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.goto('/console/constituents/new');
    await page.getByRole('heading', { level: 1, name: 'New constituent' }).waitFor();
    await page.getByRole('button', { name: 'Add contact' }).click();
    await expectNoRawKeys(page);
    await page.getByRole('button', { name: '中文' }).click();
  }, TEST_TIMEOUT_MS);

  it('an analyst reads constituents without edit controls', async () => {
    const { context, page: analyst } = await newPage(browser, { baseURL: server.url });
    try {
      await signIn(analyst, ANALYST.username, ANALYST.password);
      await analyst.goto('/console/constituents');
      await analyst.getByTestId('constituents').getByRole('link', { name: UNIVERSITY, exact: true }).waitFor();
      expect(await analyst.getByRole('link', { name: '新增服務對象' }).count()).toBe(0);
      expect(await analyst.getByRole('button', { name: '以 CSV 匯入' }).count()).toBe(0);
      await analyst.getByRole('link', { name: '匯出 CSV' }).waitFor(); // staff may export
      await expectNoSeriousA11yViolations(analyst, 'constituents (analyst)');
      await analyst.getByTestId('constituents').getByRole('link', { name: UNIVERSITY, exact: true }).click();
      await analyst.getByRole('heading', { level: 1, name: UNIVERSITY }).waitFor();
      await analyst.getByTestId('contacts').waitFor();
      expect(await analyst.getByRole('button', { name: '編輯' }).count()).toBe(0);
      expect(await analyst.getByRole('button', { name: '刪除' }).count()).toBe(0);
      // Asking for the editor by address shows the page read-only.
      await analyst.goto(`${universityPath}?edit=1`);
      await analyst.getByTestId('contacts').waitFor();
      expect(await analyst.locator('main textarea, main input').count()).toBe(0);
      await analyst.goto('/console/constituents/new');
      await analyst.getByText('您的角色只能檢視服務對象。').waitFor();
      expect(await analyst.locator('#constituent-name').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, TEST_TIMEOUT_MS);
});
