// The proactive-notification pages in a real browser against the real server (its job queue runs
// the imports): an administrator creates a Shadowserver feed source (the server's refusal of a
// too-frequent poll interval shows at the field), uploads the scan_http report with one malformed
// row appended, watches the import finish with the rejected row's line number, browses the
// import's events, opens the notice made for the constituent owning the hosts, downloads its CSV
// and records an acknowledgement given by phone; the constituent's own user then sees the notice
// (and no feed pages, no buttons). The source is then edited to poll a URL on loopback: "fetch now"
// shows the publisher's 404, then an import by URL; 120 rejected rows are paged and filtered.
// Every page in both languages, without untranslated keys; axe-core on each.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild, expectNoSeriousA11yViolations, launchBrowser, newPage, startServer } from './helpers/index.js';
import type { RunningServer } from './helpers/index.js';
import { expectNoRawKeys, setupPathFrom, signIn, signOut } from './helpers/console.js';
import { REPO_ROOT } from './helpers/paths.js';

const TEST_TIMEOUT_MS = 180_000;
const ADMIN = { username: 'admin', password: 'admin passphrase for feed tests' };
const OWNER = { username: 'netops', password: 'constituent passphrase for feed tests' };
const FILE_NAME = '2026-11-20-scan_http-taiwan-geo.csv';
const CONSTITUENT = '範例網通股份有限公司';
// The fixture's three rows (lines 2–4) and a fourth with an impossible address: line 5.
const FIXTURES = join(REPO_ROOT, 'src/modules/feeds/engine/fixtures/shadowserver');
const REPORT = `${readFileSync(join(FIXTURES, FILE_NAME), 'utf8').trimEnd()}\n"2026-11-20 00:03:00","999.0.2.77","tcp",80,"","http","64500","TW","TAIPEI","TAIPEI",0,"","","HTTP/1.1",200,"OK","text/html","close","","","nginx",10,"","","medium"\n`;

let server: RunningServer;
// A feed publisher on loopback for URL polling: answers 404 until `published` is set.
let publisher: Server;
let published: string | null = null;
let browser: Browser;
let page: Page;
let constituentId = '';
let feedPath = '';
let importPath = '';
let noticePath = '';

/** A link of the console's navigation. */
const nav = (p: Page, name: string) => p.getByRole('navigation').getByRole('link', { name, exact: true });

/** A JSON write through the API with the signed-in page's session (cookie and CSRF token). */
async function apiPost(p: Page, path: string, body: unknown): Promise<{ id: string }> {
  const session = (await (await p.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
  const res = await p.request.post(path, { data: body, headers: { 'x-csrf-token': session.csrfToken } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string };
}

beforeAll(async () => {
  publisher = createServer((_req, res) => {
    if (published === null) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/csv' }).end(published);
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  await ensureWebBuild();
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  ({ page } = await newPage(browser, { baseURL: server.url }));
  await page.goto(setupPathFrom(server.output()));
  await page.fill('#setup-username', ADMIN.username);
  await page.fill('#setup-display', '情資管理者');
  await page.fill('#setup-password', ADMIN.password);
  await page.fill('#setup-repeat', ADMIN.password);
  await page.getByRole('button', { name: '建立管理者' }).click();
  await page.getByText('已建立管理者').waitFor();
  await signIn(page, ADMIN.username, ADMIN.password);
  // The organisation owning the report's hosts (its pages are tested elsewhere), and its user.
  constituentId = (
    await apiPost(page, '/api/v1/constituents', {
      name: CONSTITUENT,
      sector: 'isp',
      partnerId: null,
      netblocks: ['192.0.2.0/24', '2001:db8::/32'],
      asns: [],
      domains: [],
      contacts: [{ name: '網管中心', role: 'security', email: 'soc@netops.example.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] }],
    })
  ).id;
  await apiPost(page, '/api/v1/users', { username: OWNER.username, displayName: '網通資安窗口', password: OWNER.password, role: 'constituent', organisationId: constituentId });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => publisher?.close(resolve));
});

describe('feeds, events and notices', () => {
  it('create a feed source, with the server refusing a too-frequent poll interval at the field', async () => {
    await nav(page, '情資來源').click();
    await page.getByRole('heading', { level: 1, name: '情資來源' }).waitFor();
    await page.getByTestId('feeds-empty').waitFor();
    await expectNoSeriousA11yViolations(page, 'feeds (empty)');

    await page.getByRole('button', { name: '新增來源' }).click();
    await page.fill('#feed-new-name', 'Shadowserver 每日報告');
    await page.fill('#feed-new-provider', 'Shadowserver');
    expect(await page.locator('#feed-new-parser').inputValue()).toBe('shadowserver');
    await page.fill('#feed-new-poll-url', 'https://reports.example.org/scan_http.csv');
    await page.fill('#feed-new-schedule', '1m');
    await page.getByRole('button', { name: '建立來源' }).click();
    await page.locator('#feed-new-schedule-error').getByText('擷取間隔至少 5 分鐘。').waitFor();
    await page.getByRole('alert').getByText('來源未儲存').waitFor();
    await expectNoSeriousA11yViolations(page, 'feed source form with errors');

    // Upload only: no URL, no interval.
    await page.fill('#feed-new-poll-url', '');
    await page.fill('#feed-new-schedule', '');
    await page.getByRole('button', { name: '建立來源' }).click();
    await page.waitForURL(/\/console\/feeds\/[0-9a-f-]{36}$/);
    feedPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Shadowserver 每日報告' }).waitFor();
    await page.getByText('僅上傳').waitFor();
    await expectNoSeriousA11yViolations(page, 'feed source');
  }, TEST_TIMEOUT_MS);

  it('upload a Shadowserver report and see the import finish with the rejected row and its line number', async () => {
    await page.locator('#feed-upload-file').setInputFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: Buffer.from(REPORT) });
    await page.getByRole('button', { name: '上傳並匯入' }).click();
    await page.waitForURL(/\/console\/feed-imports\/[0-9a-f-]{36}$/);
    importPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: `匯入 ${FILE_NAME}` }).waitFor();
    // The page refreshes itself while the import is queued or running.
    await page.getByTestId('import-status').getByText('完成').waitFor();
    expect(await page.getByTestId('count-rows').innerText()).toBe('4');
    expect(await page.getByTestId('count-rejected').innerText()).toBe('1');
    expect(await page.getByTestId('count-events').innerText()).toBe('3');
    expect(await page.getByTestId('count-matched').innerText()).toBe('3');
    expect(await page.getByTestId('count-notices').innerText()).toBe('1');
    const rejected = page.getByTestId('rejected-rows');
    expect(await rejected.getByTestId('rejected-line').allInnerTexts()).toEqual(['5']);
    expect(await rejected.innerText()).toContain('invalid source.ip "999.0.2.77"');
    await expectNoSeriousA11yViolations(page, 'feed import');

    // The source's list and page show it as the last import.
    await page.goto(feedPath);
    await page.getByTestId('feed-imports').getByText(FILE_NAME).waitFor();
    await page.goto('/console/feeds');
    const row = page.getByTestId('feed-sources').getByRole('row', { name: /Shadowserver 每日報告/ });
    await row.getByText('4 列 · 3 件事件 · 1 列拒收').waitFor();
    expect(await row.innerText()).toContain('完成');
    await expectNoSeriousA11yViolations(page, 'feeds');
  }, TEST_TIMEOUT_MS);

  it("browse the import's events, matched to the constituent, and filter them", async () => {
    await page.goto(importPath);
    await page.getByRole('link', { name: '產生的事件（3）' }).click();
    await page.getByRole('heading', { level: 1, name: '事件' }).waitFor();
    await page.getByTestId('events-import-filter').waitFor();
    const events = page.getByTestId('events');
    await expect.poll(() => events.locator('[data-row]').count()).toBe(3);
    const text = await events.innerText();
    for (const host of ['192.0.2.10:80', '192.0.2.11:8080', '2001:db8:10::5:443']) expect(text).toContain(host);
    expect(text).toContain(CONSTITUENT);
    await page.getByTestId('unmatched-summary').getByText('所有事件皆已找到歸屬。').waitFor();
    await expectNoSeriousA11yViolations(page, 'events');
    // Only events without an owner: none.
    await page.selectOption('#events-matched', 'false');
    await page.getByTestId('events-empty').waitFor();
    await page.selectOption('#events-matched', '');
    await page.selectOption('#events-constituent', constituentId);
    await expect.poll(() => events.locator('[data-row]').count()).toBe(3);
    // By type: the RSIT types, and IntelMQ's own (blocklists) beside them.
    expect(await page.locator('#events-type option[value="blacklist"]').count()).toBe(1);
    await page.selectOption('#events-type', 'blacklist');
    await page.getByTestId('events-empty').waitFor();
    await page.selectOption('#events-type', 'vulnerable-system');
    await expect.poll(() => events.locator('[data-row]').count()).toBe(3);
  }, TEST_TIMEOUT_MS);

  it('open the notice, download its CSV and record an acknowledgement given by phone', async () => {
    await page.goto(importPath);
    await page.getByRole('link', { name: '產生的主動告知（1）' }).click();
    await page.getByRole('heading', { level: 1, name: '主動告知' }).waitFor();
    const notices = page.getByTestId('notices');
    await notices.getByRole('cell', { name: CONSTITUENT, exact: true }).waitFor();
    expect(await notices.innerText()).toContain('soc@netops.example.tw');
    await expectNoSeriousA11yViolations(page, 'notices');
    await notices.locator('[data-row-link]').first().click();
    await page.waitForURL(/\/console\/notices\/[0-9a-f-]{36}$/);
    noticePath = new URL(page.url()).pathname;
    await page.getByTestId('notice-timeline').waitFor(); // the notice's page, not the list it came from
    await page.getByTestId('notice-state').getByText('排隊中').waitFor();
    expect(await page.getByTestId('notice-hosts').locator('li').allInnerTexts()).toEqual(['192.0.2.10', '192.0.2.11', '2001:db8:10::5']);
    expect(await page.getByTestId('notice-body').innerText()).toContain('192.0.2.10');
    await page.getByRole('link', { name: CONSTITUENT }).waitFor();
    await expectNoSeriousA11yViolations(page, 'notice');

    // The events the notice names, filtered by the notice.
    await page.getByRole('link', { name: '所列事件' }).click();
    await page.getByTestId('events-notice-filter').waitFor();
    await expect.poll(() => page.getByTestId('events').locator('[data-row]').count()).toBe(3);
    await page.goto(noticePath);
    await page.getByTestId('notice-timeline').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notice-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^tocsin-notice-.*\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    for (const host of ['192.0.2.10', '192.0.2.11', '2001:db8:10::5']) expect(csv).toContain(host);

    await page.fill('#notice-note', '網管中心電話確認已收到，週五前完成修補');
    await page.getByRole('button', { name: '登錄已確認' }).click();
    await page.getByTestId('notice-action-done').getByText('已登錄確認。').waitFor();
    await page.getByTestId('notice-state').getByText('已確認').waitFor();
    const acknowledged = page.getByTestId('notice-timeline').locator('[data-step="acknowledged"]');
    expect(await acknowledged.getAttribute('data-done')).toBe('true');
    expect(await acknowledged.innerText()).toContain('由工作人員登錄');
    await page.reload();
    await page.getByTestId('notice-state').getByText('已確認').waitFor();
    await page.getByText('網管中心電話確認已收到，週五前完成修補').waitFor();
    // Acknowledged: it can still be resolved, no longer acknowledged again.
    expect(await page.getByRole('button', { name: '登錄已確認' }).count()).toBe(0);
    await page.getByRole('button', { name: '標示已解決' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'notice (acknowledged)');

    // The state chips carry the counts and filter the list.
    await page.goto('/console/notices');
    const chip = (state: string) => page.getByTestId('notice-state-chips').locator(`[data-state="${state}"]`);
    await expect.poll(() => chip('acknowledged').getByTestId('state-count').innerText()).toBe('1');
    expect(await chip('queued').getByTestId('state-count').innerText()).toBe('0');
    expect(await chip('all').getByTestId('state-count').innerText()).toBe('1');
    await chip('acknowledged').click();
    await notices.getByRole('cell', { name: CONSTITUENT, exact: true }).waitFor();
    await chip('resolved').click();
    await page.getByTestId('notices-empty').waitFor();
    expect(await chip('resolved').getAttribute('aria-pressed')).toBe('true');
  }, TEST_TIMEOUT_MS);

  it('show every page in English without untranslated keys', async () => {
    await page.goto(noticePath);
    await page.getByTestId('notice-state').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('notice-state').getByText('Acknowledged').waitFor();
    await page.getByText('How: recorded by staff').waitFor();
    await expectNoRawKeys(page);
    await expectNoSeriousA11yViolations(page, 'notice (English)');
    // Each page with its data shown (the test id), then checked for raw keys.
    const pages: [string, string, string][] = [
      ['/console/feeds', 'Feed sources', 'feed-sources'],
      [feedPath, 'Shadowserver 每日報告', 'feed-imports'],
      [`/console/events?importId=${importPath.split('/').pop() ?? ''}`, 'Events', 'events'],
      ['/console/notices', 'Notices', 'notices'],
      [importPath, `Import of ${FILE_NAME}`, 'rejected-rows'],
    ];
    for (const [path, heading, testId] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByTestId(testId).waitFor();
      await expectNoRawKeys(page);
    }
    await page.getByTestId('rejected-rows').getByText('Line').waitFor();
    // The source form with each parser's options.
    await page.goto('/console/feeds');
    await page.getByRole('button', { name: 'New source' }).click();
    for (const [parser, field] of [['shadowserver', '#feed-new-report-type'], ['phishing', '#feed-new-phishing-format'], ['drop', '#feed-new-drop-identifier'], ['mapping', '#feed-new-mapping']] as const) {
      await page.selectOption('#feed-new-parser', parser);
      await page.locator(field).waitFor();
      await expectNoRawKeys(page);
    }
    await expectNoSeriousA11yViolations(page, 'feed source form (English)');
    await page.goto(importPath);
    await page.getByTestId('rejected-rows').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: `匯入 ${FILE_NAME}` }).waitFor();
  }, TEST_TIMEOUT_MS);

  it("let the constituent's user see its notice and events, without feed pages or staff buttons", async () => {
    await signOut(page, '登出');
    await signIn(page, OWNER.username, OWNER.password);
    await nav(page, '主動告知').waitFor();
    expect(await nav(page, '情資來源').count()).toBe(0);
    await nav(page, '主動告知').click();
    const notices = page.getByTestId('notices');
    await notices.getByRole('cell', { name: CONSTITUENT, exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page, 'notices (constituent)');
    await notices.locator('[data-row-link]').first().click();
    await page.getByTestId('notice-timeline').waitFor();
    await page.getByTestId('notice-state').getByText('已確認').waitFor();
    expect(await page.getByRole('button', { name: '標示已解決' }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page, 'notice (constituent)');
    await nav(page, '事件').click();
    await expect.poll(() => page.getByTestId('events').locator('[data-row]').count()).toBe(3);
    expect(await page.getByTestId('unmatched-summary').count()).toBe(0);
    await expectNoSeriousA11yViolations(page, 'events (constituent)');
  }, TEST_TIMEOUT_MS);

  it('edit the source to poll a URL, and fetch it now: the error, then an import by URL', async () => {
    await signOut(page, '登出');
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(feedPath);
    await page.getByRole('button', { name: '編輯' }).click();
    const port = (publisher.address() as AddressInfo).port;
    await page.fill('#feed-edit-poll-url', `http://127.0.0.1:${port}/${FILE_NAME}`);
    await page.fill('#feed-edit-schedule', '6h');
    await expectNoSeriousA11yViolations(page, 'feed source edit form');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    const polling = page.getByTestId('feed-polling');
    await polling.getByRole('heading', { name: '網址擷取（每 6 小時）' }).waitFor();
    await page.getByText('網址，每 6 小時').waitFor();
    // Nothing published yet: the poll's error shows on the source.
    await polling.getByRole('button', { name: '立即擷取' }).click();
    await polling.getByText(`HTTP 404 Not Found from 127.0.0.1:${port}`).waitFor();
    await expectNoSeriousA11yViolations(page, 'feed source with a polling error');
    published = readFileSync(join(FIXTURES, FILE_NAME), 'utf8');
    await polling.getByRole('button', { name: '立即擷取' }).click();
    await polling.getByText('擷取成功').waitFor();
    const byUrl = page.getByTestId('feed-imports').getByRole('row', { name: /由網址擷取/ });
    await byUrl.getByTestId('import-status').getByText('完成').waitFor();
  }, TEST_TIMEOUT_MS);

  it('page through and filter a large number of rejected rows', async () => {
    const header = REPORT.split('\n')[0] ?? '';
    const bad = Array.from({ length: 120 }, (_, i) => `"2026-11-20 01:00:00","300.0.0.${i}","tcp",80,"","http","64500","TW","","",0,"","","HTTP/1.1",200,"OK","","","","","",0,"","","low"`);
    await page.goto(feedPath);
    await page.locator('#feed-upload-file').setInputFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${bad.join('\n')}\n`) });
    await page.getByRole('button', { name: '上傳並匯入' }).click();
    await page.waitForURL(/\/console\/feed-imports\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: `匯入 ${FILE_NAME}` }).waitFor(); // not the source's page any more
    await page.getByTestId('import-status').getByText('完成').waitFor();
    expect(await page.getByTestId('count-rejected').innerText()).toBe('120');
    const lines = () => page.getByTestId('rejected-line').allInnerTexts();
    expect((await lines()).slice(0, 2)).toEqual(['2', '3']);
    expect(await lines()).toHaveLength(50);
    await page.getByText('第 1–50 筆，共 120 筆').waitFor();
    await page.getByRole('button', { name: '下一頁' }).click();
    await page.getByText('第 51–100 筆，共 120 筆').waitFor();
    expect((await lines())[0]).toBe('52');
    await page.fill('#rejected-filter', '300.0.0.75');
    await expect.poll(lines).toEqual(['77']);
    await expectNoSeriousA11yViolations(page, 'feed import with many rejected rows');
  }, TEST_TIMEOUT_MS);

  it("the notice's link opens a page that confirms receipt only when the owner presses the button", async () => {
    // A later report names a new host of the constituent: a new notice, still open.
    const feedId = feedPath.split('/').pop() ?? '';
    const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
    const csv = `${REPORT.split('\n')[0]}\n"2026-11-21 00:01:00","192.0.2.99","tcp",80,"","http","64500","TW","TAIPEI","TAIPEI",0,"","","HTTP/1.1",200,"OK","text/html","close","","","nginx",10,"","","medium"\n`;
    const up = await page.request.post(`/api/v1/feeds/${feedId}/import`, { multipart: { file: { name: '2026-11-21-scan_http-taiwan-geo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } }, headers: { 'x-csrf-token': session.csrfToken } });
    expect(up.status(), await up.text()).toBe(202);
    const importId = ((await up.json()) as { id: string }).id;
    let notice: { id: string; subject: string } | undefined;
    await expect
      .poll(async () => {
        notice = ((await (await page.request.get(`/api/v1/notices?importId=${importId}`)).json()) as { items: { id: string; subject: string }[] }).items[0];
        return notice !== undefined;
      })
      .toBe(true);
    const detail = (await (await page.request.get(`/api/v1/notices/${notice!.id}`)).json()) as { body: string; state: string };
    const token = /\/notices\/ack\/([A-Za-z0-9_-]{43})/.exec(detail.body)?.[1];
    expect(token).toBeDefined();

    // Someone without an account (or a mail scanner) opens the link: nothing changes yet.
    const { page: owner, context } = await newPage(browser, { baseURL: server.url });
    try {
      await owner.goto(`/notices/ack/${token!}`);
      await owner.getByRole('heading', { level: 1, name: '確認收到主動告知' }).waitFor();
      await owner.getByText(notice!.subject).waitFor();
      expect(await owner.locator('main').innerText()).toContain(`單位：${CONSTITUENT}`);
      await expectNoSeriousA11yViolations(owner, 'notice link');
      expect(((await (await page.request.get(`/api/v1/notices/${notice!.id}`)).json()) as { state: string }).state).toBe(detail.state);
      await owner.getByTestId('notice-ack-confirm').click();
      await owner.getByTestId('notice-ack-done').waitFor();
      const after = (await (await page.request.get(`/api/v1/notices/${notice!.id}`)).json()) as { state: string; acknowledgedVia: string };
      expect(after).toMatchObject({ state: 'acknowledged', acknowledgedVia: 'link' });
      // Opened again, in English: already confirmed, no button.
      await owner.getByRole('button', { name: 'English' }).click();
      await owner.reload();
      await owner.getByTestId('notice-ack-already').getByText('This notice was already confirmed.').waitFor();
      expect(await owner.getByTestId('notice-ack-confirm').count()).toBe(0);
      expect(await owner.locator('main').innerText()).not.toMatch(/noticeAck\./);
      // A link that names no notice.
      await owner.goto(`/notices/ack/${'A'.repeat(43)}`);
      await owner.getByText('No notice matches this link.', { exact: false }).waitFor();
    } finally {
      await context.close();
    }
  }, TEST_TIMEOUT_MS);
});
