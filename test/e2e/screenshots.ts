// Takes screenshots of the main pages for the docs: a real server with a little data, real Chromium.
// Usage: npx tsx test/e2e/screenshots.ts [outDir=docs/screenshots]
// Chinese text needs a CJK font on the machine (Debian: fonts-noto-cjk or fonts-wqy-microhei).
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { GnuPG } from '../../src/lib/pgp/testing/gnupg.js';
import { swaksSend } from '../../src/modules/mail/testing/swaks.js';
import { ensureWebBuild, launchBrowser, newPage, startServer } from './helpers/index.js';
import { eventually, runTocsin } from './helpers/cli.js';
import { selectByText, setupPathFrom, signIn } from './helpers/console.js';
import { REPO_ROOT } from './helpers/paths.js';

const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
const ADMIN = { username: 'admin', password: 'screenshot admin passphrase' };
const TEAM = 'report@cert.example.tw';
const REPORTER = 'it-admin@school.example.edu.tw';
const ENV = { TOCSIN_PUBLIC_URL: 'https://cert.example.tw', TOCSIN_PGP_PASSPHRASE: 'screenshot team key passphrase', TOCSIN_SMTP_PORT: '0', TOCSIN_MAIL_ADDRESSES: TEAM, TOCSIN_ANON_SAMPLES_PER_HOUR: '5' };
// The EICAR anti-virus test string, assembled here so that no file on disk trips a scanner.
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');
const RULES = `rule eicar_marker : test {
  meta:
    description = "EICAR test string"
    score = 80
  strings:
    $s = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
  condition:
    $s
}`;

function mail(subject: string, body: string): string {
  return [`From: IT Admin <${REPORTER}>`, `To: ${TEAM}`, `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${Math.random().toString(36).slice(2)}@school.example.edu.tw>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body, ''].join('\r\n');
}

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
  const server = await startServer({ env: ENV });
  const browser = await launchBrowser();
  const gpg = await GnuPG.create();
  try {
    const smtpPort = Number(await eventually(() => /Tocsin SMTP listening on [^:\s]+:(\d+)/.exec(server.output())?.[1], 'the SMTP listener'));
    await runTocsin(['keys', 'generate', '--email', TEAM, '--name', 'TWCERT/CC'], { ...ENV, TOCSIN_DATA_DIR: server.dataDir });
    await gpg.generateKey(`IT Admin <${REPORTER}>`);
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

    // Mail: a reporter's key imported, a signed report, an unreadable message in quarantine.
    await page.goto('/console/mail?tab=keys');
    await page.fill('#contact-key-armored', await gpg.exportPublic(REPORTER));
    await page.getByRole('button', { name: '匯入', exact: true }).click();
    await page.getByTestId('key-imported').waitFor();
    await shot(page, 'console-mail-keys');
    const signed = (await gpg.run(['--clearsign', '--local-user', REPORTER], '本校網站首頁遭置換，附上記錄檔摘要，請協助處理。\n')).stdout.toString('utf8');
    for (const [subject, body] of [
      ['本校網站首頁遭置換', signed],
      ['Encrypted report', '-----BEGIN PGP MESSAGE-----\n\nhQEMA1234567890ABCDEF\n=abcd\n-----END PGP MESSAGE-----\n'],
    ] as const) {
      await swaksSend({ port: smtpPort, from: REPORTER, to: TEAM, data: mail(subject, body) });
    }
    await page.goto('/console/mail?tab=quarantine');
    await eventually(async () => ((await page.getByTestId('quarantine').count()) > 0 ? true : (await page.reload(), await page.waitForLoadState('networkidle'), null)), 'the quarantined message');
    await shot(page, 'console-mail-quarantine');
    await page.goto('/console/mail?tab=outbox');
    await page.getByTestId('outbox').waitFor();
    await shot(page, 'console-mail-outbox');
    await page.goto('/console/mail?tab=templates');
    await page.locator('#template-acknowledgement-zh-TW-subject').fill('[{{trackingNumber}}] 已收到：{{reporterName}}');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await page.getByRole('alert').getByText('範本未儲存').waitFor();
    await shot(page, 'console-mail-templates');
    await page.goto('/console?tab=reports&rchannel=email');
    await page.getByRole('row', { name: /網站首頁遭置換/ }).locator('[data-row-link]').click();
    await page.getByTestId('pgp-status').waitFor();
    await shot(page, 'console-report-email-pgp');

    // Malware analysis: a YARA rule set, the EICAR string analysed, the report.
    await page.goto('/console/yara');
    await page.fill('#yara-name', 'eicar_rules');
    await page.fill('#yara-description', 'EICAR 測試規則');
    await page.fill('#yara-source', RULES);
    await page.getByRole('button', { name: '儲存規則集' }).click();
    await page.getByTestId('yara-rules').waitFor();
    await page.goto('/console/samples');
    await page.locator('#sample-file').setInputFiles({ name: 'invoice-2026.com', mimeType: 'application/octet-stream', buffer: Buffer.from(EICAR) });
    await page.getByRole('button', { name: '開始分析' }).click();
    await page.waitForURL(/\/console\/samples\/[0-9a-f-]{36}$/);
    await page.getByTestId('verdict-reasons').waitFor({ timeout: 60_000 });
    await shot(page, 'console-sample-report');
    await page.goto('/console/samples');
    await page.getByTestId('samples').waitFor();
    await shot(page, 'console-samples');
    await page.goto('/console/yara');
    await page.getByRole('button', { name: '編輯 eicar_rules' }).click();
    await page.locator('#yara-test-sample').selectOption({ index: 1 });
    await page.getByRole('button', { name: '執行測試' }).click();
    await page.getByTestId('yara-test-result').waitFor();
    await shot(page, 'console-yara-rules');

    // Feeds and notices: a constituent owning the scanned hosts, a Shadowserver source, two reports
    // uploaded (the RDP one with a malformed row), the events, the notice.
    const csrf = ((await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string }).csrfToken;
    await page.request.post('/api/v1/constituents', {
      headers: { 'x-csrf-token': csrf },
      data: { name: '範例網通股份有限公司', sector: 'isp', partnerId: null, netblocks: ['192.0.2.0/24', '198.51.100.0/24', '2001:db8::/32'], asns: [], domains: [], contacts: [{ name: '網管中心', role: 'security', email: 'soc@netops.example.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] }] },
    });
    await page.goto('/console/feeds');
    await page.getByRole('button', { name: '新增來源' }).click();
    await page.fill('#feed-new-name', 'Shadowserver 每日報告');
    await page.fill('#feed-new-provider', 'Shadowserver');
    await page.getByRole('button', { name: '建立來源' }).click();
    await page.waitForURL(/\/console\/feeds\/[0-9a-f-]{36}$/);
    const feedPath = new URL(page.url()).pathname;
    for (const name of ['2026-11-20-scan_http-taiwan-geo.csv', '2026-11-20-scan_rdp-taiwan-geo.csv']) {
      await page.goto(feedPath);
      const buffer = await readFile(join(REPO_ROOT, 'src/modules/feeds/engine/fixtures/shadowserver', name));
      await page.locator('#feed-upload-file').setInputFiles({ name, mimeType: 'text/csv', buffer });
      await page.getByRole('button', { name: '上傳並匯入' }).click();
      await page.waitForURL(/\/console\/feed-imports\/[0-9a-f-]{36}$/);
      await page.getByTestId('import-counts').waitFor();
    }
    await shot(page, 'console-feed-import');
    await page.goto('/console/feeds');
    await page.getByTestId('feed-sources').waitFor();
    await shot(page, 'console-feeds');
    await page.goto('/console/events');
    await page.getByTestId('events').waitFor();
    await shot(page, 'console-events');
    await page.goto('/console/notices');
    await page.getByTestId('notices').waitFor();
    await shot(page, 'console-notices');
    await page.locator('[data-row-link]').first().click();
    await page.getByTestId('notice-timeline').waitFor();
    await shot(page, 'console-notice');
    const ackToken = /\/notices\/ack\/([A-Za-z0-9_-]{43})/.exec(await page.getByTestId('notice-body').innerText())?.[1] ?? '';
    // The constituent's page: scope, contacts and preferences, in edit mode.
    await page.goto('/console/constituents');
    await page.getByTestId('constituents').getByRole('link', { name: '範例網通股份有限公司' }).click();
    await page.getByRole('heading', { level: 1, name: '範例網通股份有限公司' }).waitFor();
    await page.goto(`${new URL(page.url()).pathname}?edit=1`);
    await page.getByTestId('contact-row').first().waitFor();
    await shot(page, 'console-constituent-edit');

    const visitor = await newPage(browser, { baseURL: server.url });
    // The page the notice's acknowledgement link opens (no account needed).
    await visitor.page.goto(`/notices/ack/${ackToken}`);
    await visitor.page.getByTestId('notice-ack-confirm').waitFor();
    await shot(visitor.page, 'portal-notice-ack');
    await visitor.page.goto('/samples');
    await shot(visitor.page, 'portal-sample-submit');
    await page.goto(trackingPath);
    await page.locator('[data-from="team"]').waitFor();
    await shot(page, 'portal-tracking');
  } finally {
    await browser.close();
    await server.stop();
    await gpg.close();
  }
}

await main();
