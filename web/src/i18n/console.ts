import i18n from './index.js';
import consoleEn from './console.en.json';
import consoleZhTW from './console.zh-TW.json';

// The console's strings travel with the console chunks, not with the public portal.
// Both catalogues must carry the same keys: these assignments fail to typecheck otherwise.
const _enHasAllKeys: typeof consoleZhTW = consoleEn;
const _zhHasAllKeys: typeof consoleEn = consoleZhTW;

if (!i18n.hasResourceBundle('en', 'translation') || !i18n.exists('console.title')) {
  i18n.addResourceBundle('zh-TW', 'translation', { console: consoleZhTW }, true, true);
  i18n.addResourceBundle('en', 'translation', { console: consoleEn }, true, true);
}
