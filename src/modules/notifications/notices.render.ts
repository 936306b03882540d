import { renderNoticeCsv, type NoticeDraft } from '../feeds/engine/index.js';

export type Language = 'zh-TW' | 'en';

/** Hosts named in the body itself (for a reader on a phone); the attached CSV has all of them with details. */
const HOSTS_IN_BODY = 20;

/** Name of the attached CSV of affected hosts: `affected-hosts-<topic>.csv`. */
export function noticeCsvName(topic: string): string {
  return `affected-hosts-${topic.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`;
}

/**
 * Subject and body of a notice: the recipient's language first, then the other one. The CSV of
 * affected hosts travels as an attachment (noticeCsvName); the body explains the finding, names the
 * first hosts and says the full list is attached.
 */
export function renderNotice(
  draft: NoticeDraft,
  opts: { language: Language; constituentName: string; tlp: string; ackUrl: string; feedName: string; hosts?: readonly string[] },
): { subject: string; body: string; csv: string; fileName: string } {
  const csv = renderNoticeCsv(draft);
  const fileName = noticeCsvName(draft.topic);
  const n = draft.hosts.length;
  const shown = (opts.hosts ?? []).slice(0, HOSTS_IN_BODY);
  const more = (opts.hosts?.length ?? 0) - shown.length;
  const other: Language = opts.language === 'zh-TW' ? 'en' : 'zh-TW';
  const subject = opts.language === 'zh-TW'
    ? `[TLP:${opts.tlp}] ${draft.title['zh-TW']}：${opts.constituentName}（${n} 筆）`
    : `[TLP:${opts.tlp}] ${draft.title.en}: ${opts.constituentName} (${n} hosts)`;
  const list = (lang: Language) => (shown.length === 0 ? [] : ['', ...shown.map((h) => `  - ${h}`), ...(more > 0 ? [lang === 'zh-TW' ? `  …另有 ${more} 筆` : `  … and ${more} more`] : [])]);
  const section = (lang: Language) =>
    lang === 'zh-TW'
      ? [
          `${opts.constituentName} 您好：`, '', `本中心自情資來源「${opts.feedName}」發現貴單位有 ${n} 筆主機或網址涉及：${draft.title['zh-TW']}。`, ...list(lang), '',
          `完整清單（含連接埠、觀察時間等細節）請見附件 ${fileName}。`, '', `風險：${draft.risk['zh-TW']}`, '', `建議處置：${draft.fix['zh-TW']}`, '',
          `收到後請點選以下連結確認，或直接回覆本信：${opts.ackUrl}`,
        ]
      : [
          `Dear ${opts.constituentName},`, '', `Our feed "${opts.feedName}" shows ${n} of your hosts or URLs affected by: ${draft.title.en}.`, ...list(lang), '',
          `The full list (ports, times seen and other details) is in the attached file ${fileName}.`, '', `Risk: ${draft.risk.en}`, '', `What to do: ${draft.fix.en}`, '',
          `Please confirm receipt by opening this link, or simply reply to this message: ${opts.ackUrl}`,
        ];
  const body = [`TLP:${opts.tlp}`, '', ...section(opts.language), '', '----', '', ...section(other)].join('\n');
  return { subject, body, csv, fileName };
}
