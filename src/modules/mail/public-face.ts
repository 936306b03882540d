import type { FieldProblem } from '../../lib/errors.js';
import { Invalid } from '../../lib/errors.js';
import { clearsign, formatFingerprint, wkdKeyFor, wkdLocation, wkdPolicy, type TeamKey } from '../../lib/pgp.js';

/**
 * The team's public face: RFC 9116 security.txt (cleartext-signed with the team key), the team key
 * for the Web Key Directory, and the RFC 2350 team description, generated from settings in zh-TW
 * and en. Routes serve these; this module only produces the bytes.
 */

/* ------------------------------------------------------------------ security.txt (RFC 9116) */

export interface SecurityTxtSettings {
  /** mailto:, https: or tel: URIs, most preferred first (at least one). */
  contacts: string[];
  /** When the file stops being valid (RFC 9116: less than a year ahead is recommended). */
  expires: Date;
  /** Where the team key is: https URL of the key, openpgp4fpr:, or dns: URI. */
  encryption?: string[];
  acknowledgments?: string[];
  /** Language tags, e.g. ["zh-TW", "en"]. */
  preferredLanguages?: string[];
  /** The https URLs this file is served at. */
  canonical?: string[];
  policy?: string[];
  hiring?: string[];
  /** CSAF 2.0 provider-metadata.json URLs. */
  csaf?: string[];
  /** Comment lines at the top (without "#"). */
  comments?: string[];
}

const ONE_YEAR_MS = 366 * 86400_000;

function checkUri(field: string, value: string, schemes: string[], problems: FieldProblem[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ field, code: 'invalid-uri', message: `${value} is not a URI` });
    return;
  }
  if (!schemes.includes(url.protocol)) {
    problems.push({ field, code: 'invalid-scheme', message: `${value}: expected ${schemes.join(' or ')}` });
  }
  if (/[\r\n]/.test(value)) problems.push({ field, code: 'invalid-uri', message: 'line break in URI' });
}

export function validateSecurityTxt(s: SecurityTxtSettings, now: Date = new Date()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (s.contacts.length === 0) problems.push({ field: 'contacts', code: 'required', message: 'at least one Contact is required' });
  for (const c of s.contacts) checkUri('contacts', c, ['mailto:', 'https:', 'tel:'], problems);
  if (Number.isNaN(s.expires.getTime()) || s.expires.getTime() <= now.getTime()) {
    problems.push({ field: 'expires', code: 'in-the-past', message: 'Expires must be in the future' });
  } else if (s.expires.getTime() - now.getTime() > ONE_YEAR_MS) {
    problems.push({ field: 'expires', code: 'too-far', message: 'Expires should be less than a year ahead (RFC 9116 2.5.5)' });
  }
  for (const e of s.encryption ?? []) checkUri('encryption', e, ['https:', 'openpgp4fpr:', 'dns:'], problems);
  for (const [field, list] of [
    ['acknowledgments', s.acknowledgments],
    ['canonical', s.canonical],
    ['policy', s.policy],
    ['hiring', s.hiring],
    ['csaf', s.csaf],
  ] as const) {
    for (const v of list ?? []) checkUri(field, v, ['https:'], problems);
  }
  for (const lang of s.preferredLanguages ?? []) {
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) problems.push({ field: 'preferredLanguages', code: 'invalid-tag', message: `${lang} is not a language tag` });
  }
  for (const c of s.comments ?? []) if (/[\r\n]/.test(c)) problems.push({ field: 'comments', code: 'line-break', message: 'a comment is one line' });
  return problems;
}

/** The unsigned security.txt text (fields in RFC 9116 order, one per line, LF line ends). */
export function buildSecurityTxt(s: SecurityTxtSettings, now: Date = new Date()): string {
  const problems = validateSecurityTxt(s, now);
  if (problems.length) throw new Invalid('mail.security-txt.invalid', 'security.txt settings are not valid', { details: problems });
  const lines: string[] = [];
  for (const c of s.comments ?? []) lines.push(`# ${c}`);
  for (const c of s.contacts) lines.push(`Contact: ${c}`);
  lines.push(`Expires: ${s.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
  for (const e of s.encryption ?? []) lines.push(`Encryption: ${e}`);
  for (const a of s.acknowledgments ?? []) lines.push(`Acknowledgments: ${a}`);
  if (s.preferredLanguages?.length) lines.push(`Preferred-Languages: ${s.preferredLanguages.join(', ')}`);
  for (const c of s.canonical ?? []) lines.push(`Canonical: ${c}`);
  for (const p of s.policy ?? []) lines.push(`Policy: ${p}`);
  for (const h of s.hiring ?? []) lines.push(`Hiring: ${h}`);
  for (const c of s.csaf ?? []) lines.push(`CSAF: ${c}`);
  return lines.join('\n') + '\n';
}

/** security.txt cleartext-signed with the team key (RFC 9116 2.3), as served at /.well-known/security.txt. */
export async function signedSecurityTxt(s: SecurityTxtSettings, teamKey: TeamKey, now: Date = new Date()): Promise<string> {
  return clearsign(buildSecurityTxt(s, now), teamKey);
}

/* ------------------------------------------------------------------ team key and WKD */

export interface PublishedKey {
  /** Armored public key, for a stable URL such as /pgp-key.asc. */
  armored: string;
  fingerprint: string;
  /** One entry per e-mail address of the key: where WKD clients look, and the bytes to serve there. */
  wkd: { email: string; hash: string; path: string; body: Uint8Array }[];
  /** Body of /.well-known/openpgpkey/policy. */
  wkdPolicy: string;
}

export async function publishedTeamKey(teamKey: TeamKey): Promise<PublishedKey> {
  const wkd = await Promise.all(
    teamKey.emails.map(async (email) => {
      const loc = wkdLocation(email);
      return { email, hash: loc.hash, path: loc.directPath.split('?')[0]!, body: await wkdKeyFor(teamKey.publicKey, email) };
    }),
  );
  return { armored: teamKey.publicKey.armor(), fingerprint: teamKey.fingerprint, wkd, wkdPolicy: wkdPolicy() };
}

/* ------------------------------------------------------------------ RFC 2350 team description */

export type Lang = 'zh-TW' | 'en';
export type Localized = Record<Lang, string>;

export interface TeamProfile {
  name: Localized;
  shortName: string;
  lastUpdated: Date;
  /** Where this document is published (URLs). */
  documentLocations: string[];
  distributionList?: Localized;
  address: Localized;
  /** e.g. "Asia/Taipei (UTC+8)" */
  timeZone: string;
  telephone?: string;
  fax?: string;
  otherTelecommunication?: Localized;
  email: string;
  /** Address for incident reports, if different from `email`. */
  reportEmail?: string;
  keyFingerprint: string;
  keyUrl: string;
  teamMembers?: Localized;
  otherInformation?: Localized;
  /** Business hours, emergency contact. */
  pointsOfContact: Localized;
  mission: Localized;
  constituency: Localized;
  sponsorship: Localized;
  authority: Localized;
  incidentTypes: Localized;
  cooperation: Localized;
  communication: Localized;
  incidentResponse: Localized;
  proactiveActivities: Localized;
  reportingForms: Localized;
  disclaimers: Localized;
}

const HEADINGS: Record<Lang, Record<string, string>> = {
  en: {
    title: 'Description as specified in RFC 2350',
    s1: 'Document Information',
    s1_1: 'Date of Last Update',
    s1_2: 'Distribution List for Notifications',
    s1_3: 'Locations where this Document May Be Found',
    s1_4: 'Authenticating this Document',
    s2: 'Contact Information',
    s2_1: 'Name of the Team',
    s2_2: 'Address',
    s2_3: 'Time Zone',
    s2_4: 'Telephone Number',
    s2_5: 'Facsimile Number',
    s2_6: 'Other Telecommunication',
    s2_7: 'Electronic Mail Address',
    s2_8: 'Public Keys and Encryption Information',
    s2_9: 'Team Members',
    s2_10: 'Other Information',
    s2_11: 'Points of Customer Contact',
    s3: 'Charter',
    s3_1: 'Mission Statement',
    s3_2: 'Constituency',
    s3_3: 'Sponsorship and/or Affiliation',
    s3_4: 'Authority',
    s4: 'Policies',
    s4_1: 'Types of Incidents and Level of Support',
    s4_2: 'Co-operation, Interaction and Disclosure of Information',
    s4_3: 'Communication and Authentication',
    s5: 'Services',
    s5_1: 'Incident Response',
    s5_2: 'Proactive Activities',
    s6: 'Incident Reporting Forms',
    s7: 'Disclaimers',
    none: 'Not available.',
    authenticate: 'This document is signed with the team key {fpr}, available at {url}.',
    keyInfo: 'Fingerprint: {fpr}\nThe key is available at {url} and through the OpenPGP Web Key Directory.',
    reports: 'Incident reports: {email}',
  },
  'zh-TW': {
    title: '依 RFC 2350 之團隊說明',
    s1: '文件資訊',
    s1_1: '最後更新日期',
    s1_2: '更新通知管道',
    s1_3: '本文件公布位置',
    s1_4: '本文件之驗證',
    s2: '聯絡資訊',
    s2_1: '團隊名稱',
    s2_2: '地址',
    s2_3: '時區',
    s2_4: '電話',
    s2_5: '傳真',
    s2_6: '其他通訊方式',
    s2_7: '電子郵件',
    s2_8: '公開金鑰與加密資訊',
    s2_9: '團隊成員',
    s2_10: '其他資訊',
    s2_11: '聯絡窗口',
    s3: '章程',
    s3_1: '任務宣言',
    s3_2: '服務對象',
    s3_3: '主管與隸屬機關',
    s3_4: '權限',
    s4: '政策',
    s4_1: '事件類型與支援程度',
    s4_2: '合作、互動與資訊揭露',
    s4_3: '通訊與身分驗證',
    s5: '服務',
    s5_1: '事件應變',
    s5_2: '預防性服務',
    s6: '事件通報表單',
    s7: '免責聲明',
    none: '無。',
    authenticate: '本文件以本團隊金鑰 {fpr} 簽章，金鑰可於 {url} 取得。',
    keyInfo: '金鑰指紋：{fpr}\n金鑰可於 {url} 及 OpenPGP Web Key Directory 取得。',
    reports: '事件通報：{email}',
  },
};

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

function indent(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((l) => (l ? `   ${l}` : ''))
    .join('\n');
}

/** The RFC 2350 description as plain text in one language. */
export function renderRfc2350(p: TeamProfile, lang: Lang): string {
  const h = HEADINGS[lang];
  const none = h.none!;
  const loc = (v: Localized | undefined) => (v ? v[lang] : none);
  const fpr = formatFingerprint(p.keyFingerprint);
  const out: string[] = [`${p.name[lang]} (${p.shortName})`, h.title!, ''];
  const section = (num: string, key: string) => out.push(`${num}. ${h[key]}`, '');
  const item = (num: string, key: string, body: string) => out.push(`${num} ${h[key]}`, '', indent(body || none), '');
  section('1', 's1');
  item('1.1', 's1_1', p.lastUpdated.toISOString().slice(0, 10));
  item('1.2', 's1_2', loc(p.distributionList));
  item('1.3', 's1_3', p.documentLocations.join('\n'));
  item('1.4', 's1_4', fill(h.authenticate!, { fpr, url: p.keyUrl }));
  section('2', 's2');
  item('2.1', 's2_1', `${p.name[lang]} (${p.shortName})`);
  item('2.2', 's2_2', p.address[lang]);
  item('2.3', 's2_3', p.timeZone);
  item('2.4', 's2_4', p.telephone ?? none);
  item('2.5', 's2_5', p.fax ?? none);
  item('2.6', 's2_6', loc(p.otherTelecommunication));
  item('2.7', 's2_7', [p.email, p.reportEmail && p.reportEmail !== p.email ? fill(h.reports!, { email: p.reportEmail }) : ''].filter(Boolean).join('\n'));
  item('2.8', 's2_8', fill(h.keyInfo!, { fpr, url: p.keyUrl }));
  item('2.9', 's2_9', loc(p.teamMembers));
  item('2.10', 's2_10', loc(p.otherInformation));
  item('2.11', 's2_11', p.pointsOfContact[lang]);
  section('3', 's3');
  item('3.1', 's3_1', p.mission[lang]);
  item('3.2', 's3_2', p.constituency[lang]);
  item('3.3', 's3_3', p.sponsorship[lang]);
  item('3.4', 's3_4', p.authority[lang]);
  section('4', 's4');
  item('4.1', 's4_1', p.incidentTypes[lang]);
  item('4.2', 's4_2', p.cooperation[lang]);
  item('4.3', 's4_3', p.communication[lang]);
  section('5', 's5');
  item('5.1', 's5_1', p.incidentResponse[lang]);
  item('5.2', 's5_2', p.proactiveActivities[lang]);
  out.push(`6. ${h.s6}`, '', indent(p.reportingForms[lang] || none), '');
  out.push(`7. ${h.s7}`, '', indent(p.disclaimers[lang] || none), '');
  return out.join('\n');
}

/** The RFC 2350 description, cleartext-signed with the team key (as section 1.4 promises). */
export async function signedRfc2350(p: TeamProfile, lang: Lang, teamKey: TeamKey): Promise<string> {
  return clearsign(renderRfc2350(p, lang), teamKey);
}
