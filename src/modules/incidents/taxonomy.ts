/**
 * Reference Security Incident Taxonomy (RSIT, as maintained by the TF-CSIRT/ENISA working group),
 * all classes and types including `test` for drills, with zh-TW and English labels.
 */
type Label = { 'zh-TW': string; en: string };
export interface RsitClass {
  id: string;
  label: Label;
  types: { id: string; label: Label }[];
}

const t = (id: string, zh: string, en: string) => ({ id, label: { 'zh-TW': zh, en } });

export const RSIT: readonly RsitClass[] = [
  { id: 'abusive-content', label: { 'zh-TW': '濫用內容', en: 'Abusive Content' }, types: [t('spam', '垃圾郵件', 'Spam'), t('harmful-speech', '有害言論', 'Harmful Speech'), t('violence', '兒少性剝削／暴力', 'Child Sexual Exploitation/Sexual/Violent Content')] },
  { id: 'malicious-code', label: { 'zh-TW': '惡意程式', en: 'Malicious Code' }, types: [t('infected-system', '受感染系統', 'Infected System'), t('c2-server', '中繼站（C2）', 'C2 Server'), t('malware-distribution', '惡意程式散布', 'Malware Distribution'), t('malware-configuration', '惡意程式設定', 'Malware Configuration')] },
  { id: 'information-gathering', label: { 'zh-TW': '資訊蒐集', en: 'Information Gathering' }, types: [t('scanner', '掃描', 'Scanning'), t('sniffing', '監聽', 'Sniffing'), t('social-engineering', '社交工程', 'Social Engineering')] },
  { id: 'intrusion-attempts', label: { 'zh-TW': '入侵嘗試', en: 'Intrusion Attempts' }, types: [t('ids-alert', '入侵偵測告警', 'Exploitation of Known Vulnerabilities'), t('brute-force', '暴力破解', 'Login Attempts'), t('exploit', '新型攻擊', 'New Attack Signature')] },
  { id: 'intrusions', label: { 'zh-TW': '入侵', en: 'Intrusions' }, types: [t('privileged-account-compromise', '特權帳號遭入侵', 'Privileged Account Compromise'), t('unprivileged-account-compromise', '一般帳號遭入侵', 'Unprivileged Account Compromise'), t('application-compromise', '應用程式遭入侵', 'Application Compromise'), t('system-compromise', '系統遭入侵', 'System Compromise'), t('burglary', '實體入侵', 'Burglary')] },
  { id: 'availability', label: { 'zh-TW': '可用性', en: 'Availability' }, types: [t('dos', '阻斷服務', 'Denial of Service'), t('ddos', '分散式阻斷服務', 'Distributed Denial of Service'), t('misconfiguration', '設定錯誤', 'Misconfiguration'), t('sabotage', '蓄意破壞', 'Sabotage'), t('outage', '服務中斷', 'Outage')] },
  { id: 'information-content-security', label: { 'zh-TW': '資訊內容安全', en: 'Information Content Security' }, types: [t('unauthorised-information-access', '未經授權存取資訊', 'Unauthorised Access to Information'), t('unauthorised-information-modification', '未經授權修改資訊', 'Unauthorised Modification of Information'), t('data-loss', '資料遺失', 'Data Loss'), t('data-leak', '資料外洩', 'Leak of Confidential Information')] },
  { id: 'fraud', label: { 'zh-TW': '詐騙', en: 'Fraud' }, types: [t('unauthorised-use-of-resources', '未經授權使用資源', 'Unauthorised Use of Resources'), t('copyright', '侵害著作權', 'Copyright'), t('masquerade', '偽冒', 'Masquerade'), t('phishing', '網路釣魚', 'Phishing')] },
  { id: 'vulnerable', label: { 'zh-TW': '弱點', en: 'Vulnerable' }, types: [t('weak-crypto', '弱加密', 'Weak Cryptography'), t('ddos-amplifier', 'DDoS 放大器', 'DDoS Amplifier'), t('potentially-unwanted-accessible', '不應公開的服務', 'Potentially Unwanted Accessible Services'), t('information-disclosure', '資訊揭露', 'Information Disclosure'), t('vulnerable-system', '有弱點的系統', 'Vulnerable System')] },
  { id: 'other', label: { 'zh-TW': '其他', en: 'Other' }, types: [t('other', '其他', 'Uncategorised'), t('undetermined', '未確定', 'Undetermined')] },
  { id: 'test', label: { 'zh-TW': '演練測試', en: 'Test' }, types: [t('test', '演練測試', 'Test')] },
];

export const TLP_VALUES = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_VALUES)[number];
export const LEVELS = [1, 2, 3, 4] as const;
export const INCIDENT_STATES = ['new', 'triage', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const OPEN_STATES: readonly IncidentState[] = ['new', 'triage', 'in_progress', 'waiting'];
export const SECTORS = ['government', 'education', 'e-commerce', 'isp', 'finance', 'healthcare', 'energy', 'telecom', 'transport', 'manufacturing', 'critical-infrastructure', 'private', 'other'] as const;

/** Allowed state changes; reopening goes back to in_progress (or triage after a rejection). */
export const TRANSITIONS: Record<IncidentState, readonly IncidentState[]> = {
  new: ['triage', 'in_progress', 'waiting', 'resolved', 'rejected'],
  triage: ['in_progress', 'waiting', 'resolved', 'rejected'],
  in_progress: ['waiting', 'resolved', 'rejected'],
  waiting: ['in_progress', 'resolved', 'rejected'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
  rejected: ['triage'],
};

export function isValidRsit(cls: string | null | undefined, type: string | null | undefined): boolean {
  if (!cls) return !type;
  const c = RSIT.find((x) => x.id === cls);
  if (!c) return false;
  return !type || c.types.some((x) => x.id === type);
}
