import 'i18next';
import type zhTW from './zh-TW.json';
import type consoleZhTW from './console.zh-TW.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // The console's catalogue is added at run time by the console chunk (routes/ConsoleApp.tsx).
    resources: { translation: typeof zhTW & { console: typeof consoleZhTW } };
  }
}
