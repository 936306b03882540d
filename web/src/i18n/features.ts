import i18n from './index.js';

/**
 * Adds a feature's strings under `console.<feature>` when its first page loads, so that large
 * catalogues (mail, malware analysis) travel with their own lazy chunks instead of the console's.
 */
export function addConsoleCatalogue(feature: string, zhTW: object, en: object): void {
  if (i18n.exists(`console.${feature}.title`)) return;
  i18n.addResourceBundle('zh-TW', 'translation', { console: { [feature]: zhTW } }, true, false);
  i18n.addResourceBundle('en', 'translation', { console: { [feature]: en } }, true, false);
}
