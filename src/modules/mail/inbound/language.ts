/**
 * Which language to answer in: Traditional Chinese (zh-TW) when the text is written in Chinese,
 * English otherwise. Counts Han characters against Latin words; a Content-Language header that
 * says Chinese decides when the text is too short to tell.
 */
export type ReplyLanguage = 'zh-TW' | 'en';

const HAN = /[\p{Script=Han}\u3100-\u312f\u31a0-\u31bf]/gu; // Han + Bopomofo
const LATIN_WORD = /\b[A-Za-z]{2,}\b/g;

export function guessLanguage(text: string, contentLanguage?: string | null): ReplyLanguage {
  const sample = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const han = sample.match(HAN)?.length ?? 0;
  const words = sample.match(LATIN_WORD)?.length ?? 0;
  // ~1.5 Han characters carry a word; Chinese reports quote English (logs, URLs), so Chinese wins
  // once it is a fair share of the prose.
  if (han >= 4 && han / 1.5 >= words * 0.25) return 'zh-TW';
  if (han + words < 4 && contentLanguage && /^zh\b/i.test(contentLanguage.trim())) return 'zh-TW';
  return 'en';
}
