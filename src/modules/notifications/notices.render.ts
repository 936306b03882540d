import { renderNoticeCsv, type NoticeDraft } from '../feeds/engine/index.js';

export type Language = 'zh-TW' | 'en';

/** Subject and body of a notice: the recipient's language first, then the other one. */
export function renderNotice(draft: NoticeDraft, opts: { language: Language; constituentName: string; tlp: string; ackUrl: string; feedName: string }): { subject: string; body: string; csv: string } {
  const csv = renderNoticeCsv(draft);
  const n = draft.hosts.length;
  const other: Language = opts.language === 'zh-TW' ? 'en' : 'zh-TW';
  const subject = opts.language === 'zh-TW'
    ? `[TLP:${opts.tlp}] ${draft.title['zh-TW']}：${opts.constituentName}（${n} 筆）`
    : `[TLP:${opts.tlp}] ${draft.title.en}: ${opts.constituentName} (${n} hosts)`;
  const section = (lang: Language) =>
    lang === 'zh-TW'
      ? [`${opts.constituentName} 您好：`, '', `本中心自情資來源「${opts.feedName}」發現貴單位有 ${n} 筆主機或網址涉及：${draft.title['zh-TW']}。`, '', `風險：${draft.risk['zh-TW']}`, '', `建議處置：${draft.fix['zh-TW']}`, '', `收到後請點選以下連結確認：${opts.ackUrl}`]
      : [`Dear ${opts.constituentName},`, '', `Our feed "${opts.feedName}" shows ${n} of your hosts or URLs affected by: ${draft.title.en}.`, '', `Risk: ${draft.risk.en}`, '', `What to do: ${draft.fix.en}`, '', `Please confirm receipt by opening: ${opts.ackUrl}`];
  const body = [`TLP:${opts.tlp}`, '', ...section(opts.language), '', '----', '', ...section(other), '', '---- affected.csv ----', csv].join('\n');
  return { subject, body, csv };
}
