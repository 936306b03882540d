import 'i18next';
import type zhTW from './zh-TW.json';
import type consoleZhTW from './console.zh-TW.json';
import type mailZhTW from './mail.zh-TW.json';
import type malwareZhTW from './malware.zh-TW.json';
import type feedsZhTW from './feeds.zh-TW.json';
import type directoryZhTW from './directory.zh-TW.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // The console's catalogue is added at run time by the console chunk (routes/ConsoleApp.tsx);
    // mail, malware, feeds and directory (constituent management) strings by their own pages' chunks
    // (i18n/mail.ts, i18n/malware.ts, i18n/feeds.ts, i18n/directory.ts).
    resources: { translation: typeof zhTW & { console: typeof consoleZhTW & { mail: typeof mailZhTW; malware: typeof malwareZhTW; feeds: typeof feedsZhTW; directory: typeof directoryZhTW } } };
  }
}
