import 'i18next';
import type zhTW from './zh-TW.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhTW };
  }
}
