/**
 * Server-side messages (API errors, setup text). The web UI keeps its own catalogues; the server
 * speaks only through stable codes plus these localised messages.
 */
export type Language = 'zh-TW' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-TW', 'en'];

type Catalogue = Record<string, { 'zh-TW': string; en: string }>;

const messages: Catalogue = {
  validation_failed: { 'zh-TW': '輸入的資料有誤，請檢查標示的欄位。', en: 'Some fields are invalid; please check the marked fields.' },
  invalid_json: { 'zh-TW': '請求內容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  invalid_utf8: { 'zh-TW': '請求內容含有無效的 UTF-8 字元。', en: 'The request body contains invalid UTF-8.' },
  unsupported_media_type: { 'zh-TW': '不支援的內容類型。', en: 'Unsupported content type.' },
  payload_too_large: { 'zh-TW': '資料過大，超過上限。', en: 'The request is larger than allowed.' },
  attachment_too_large: { 'zh-TW': '附件 {name} 超過 {limit} 位元組的上限。', en: 'Attachment {name} is larger than the {limit}-byte limit.' },
  too_many_attachments: { 'zh-TW': '附件數量超過上限 {limit} 個。', en: 'More than {limit} attachments.' },
  not_found: { 'zh-TW': '找不到指定的資料。', en: 'Not found.' },
  route_not_found: { 'zh-TW': '找不到此 API 路徑。', en: 'No such API route.' },
  unauthenticated: { 'zh-TW': '請先登入。', en: 'Please sign in.' },
  forbidden: { 'zh-TW': '您沒有執行此操作的權限。', en: 'You are not allowed to do this.' },
  csrf_failed: { 'zh-TW': '安全驗證失敗，請重新整理頁面後再試。', en: 'Security check failed; reload the page and try again.' },
  invalid_credentials: { 'zh-TW': '帳號或密碼錯誤。', en: 'Wrong username or password.' },
  mfa_required: { 'zh-TW': '請輸入驗證器 App 顯示的 6 位數驗證碼。', en: 'Enter the 6-digit code from your authenticator app.' },
  mfa_invalid: { 'zh-TW': '驗證碼錯誤或已使用過。', en: 'The code is wrong or was already used.' },
  mfa_enrolment_required: { 'zh-TW': '管理者要求所有人員啟用雙因素驗證，請先完成設定。', en: 'Two-factor authentication is required; please enrol first.' },
  mfa_not_pending: { 'zh-TW': '請先開始雙因素驗證設定。', en: 'Start two-factor enrolment first.' },
  account_locked: { 'zh-TW': '登入失敗次數過多，帳號已暫時鎖定，請於 {minutes} 分鐘後再試。', en: 'Too many failed sign-ins; the account is locked for {minutes} minutes.' },
  too_many_attempts: { 'zh-TW': '嘗試次數過多，請於 {seconds} 秒後再試。', en: 'Too many attempts; try again in {seconds} seconds.' },
  account_disabled: { 'zh-TW': '此帳號已停用。', en: 'This account is disabled.' },
  token_invalid: { 'zh-TW': 'API 權杖無效、已過期或已撤銷。', en: 'The API token is invalid, expired or revoked.' },
  token_scope: { 'zh-TW': 'API 權杖沒有此操作的權限範圍（需要 {scope}）。', en: 'The API token lacks the scope for this ({scope}).' },
  setup_done: { 'zh-TW': '系統已完成初始設定。', en: 'Setup has already been completed.' },
  setup_token_invalid: { 'zh-TW': '設定連結無效或已使用。', en: 'The setup link is invalid or was already used.' },
  weak_password: { 'zh-TW': '密碼至少需要 12 個字元。', en: 'The password must have at least 12 characters.' },
  username_taken: { 'zh-TW': '此帳號名稱已被使用。', en: 'This username is taken.' },
  invalid_transition: { 'zh-TW': '無法從「{from}」變更為「{to}」。', en: 'Cannot change state from "{from}" to "{to}".' },
  report_already_linked: { 'zh-TW': '通報 {number} 已連結至其他事件。', en: 'Report {number} is already linked to another incident.' },
  report_not_linked: { 'zh-TW': '此通報未連結至該事件。', en: 'This report is not linked to that incident.' },
  merge_self: { 'zh-TW': '無法將事件合併至自己。', en: 'An incident cannot be merged into itself.' },
  merge_undone: { 'zh-TW': '此合併已復原。', en: 'This merge was already undone.' },
  incident_merged: { 'zh-TW': '此事件已合併至其他事件。', en: 'This incident has been merged into another.' },
  invalid_rsit: { 'zh-TW': '不是有效的 RSIT 分類。', en: 'Not a valid RSIT classification.' },
  analysis_in_progress: { 'zh-TW': '此樣本正在分析中，請稍候。', en: 'This sample is being analysed; please wait.' },
  analysis_not_finished: { 'zh-TW': '分析尚未完成。', en: 'The analysis has not finished yet.' },
  constituent_scope_taken: { 'zh-TW': '此網段或網域已屬於其他服務對象（{holder}）。', en: 'This netblock or domain already belongs to another constituent ({holder}).' },
  feed_disabled: { 'zh-TW': '此情資來源已停用。', en: 'This feed is disabled.' },
  feed_not_polled: { 'zh-TW': '此情資來源沒有設定抓取網址。', en: 'This feed has no URL to poll.' },
  feed_name_taken: { 'zh-TW': '已有同名的情資來源。', en: 'A feed with this name already exists.' },
  'mail.compose.bad-header': { 'zh-TW': '郵件標頭含有不允許的字元。', en: 'A mail header contains characters that are not allowed.' },
  'mail.compose.missing-recipient-key': { 'zh-TW': '收件人沒有可用的 PGP 公鑰，無法加密。', en: 'A recipient has no usable PGP key, so the message cannot be encrypted.' },
  'mail.compose.no-recipient': { 'zh-TW': '沒有收件人。', en: 'There is no recipient.' },
  'mail.outbox.not-failed': { 'zh-TW': '只有傳送失敗的郵件可以重送。', en: 'Only failed messages can be retried.' },
  'mail.security-txt.invalid': { 'zh-TW': 'security.txt 的內容不符合 RFC 9116。', en: 'The security.txt content does not conform to RFC 9116.' },
  'mail.spool.not-found': { 'zh-TW': '找不到該封郵件。', en: 'That message was not found.' },
  'mail.template.unknown-variable': { 'zh-TW': '範本使用了未知的變數。', en: 'The template uses an unknown variable.' },
  'pgp.passphrase.missing': { 'zh-TW': '尚未設定 PGP 金鑰保護密語（TOCSIN_PGP_PASSPHRASE）。', en: 'The PGP key passphrase (TOCSIN_PGP_PASSPHRASE) is not set.' },
  'pgp.team-key.exists': { 'zh-TW': '團隊金鑰已存在；若要更換請使用 --force。', en: 'A team key already exists; use --force to replace it.' },
  'pgp.team-key.missing': { 'zh-TW': '尚未建立團隊 PGP 金鑰。', en: 'No team PGP key has been created yet.' },
  yara_name_taken: { 'zh-TW': '已有同名的 YARA 規則。', en: 'A YARA rule with this name already exists.' },
  internal_error: { 'zh-TW': '系統發生錯誤，請稍後再試。', en: 'Something went wrong on our side; please try again later.' },
};

export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh-TW';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-TW';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-TW';
}

export function translate(code: string, language: Language, params: Record<string, string | number> = {}): string {
  const entry = messages[code];
  const template = entry ? entry[language] : code;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

export function hasMessage(code: string): boolean {
  return code in messages;
}
