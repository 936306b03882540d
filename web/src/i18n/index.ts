import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhTW from './zh-TW.json';
import type { Language } from '../lib/publicTypes.js';

// Both catalogues must carry the same keys: these two assignments fail to typecheck otherwise.
const _enHasAllKeys: typeof zhTW = en;
const _zhHasAllKeys: typeof en = zhTW;

export const LANGUAGES: readonly Language[] = ['zh-TW', 'en'];
export const DEFAULT_LANGUAGE: Language = 'zh-TW';
const STORAGE_KEY = 'tocsin.language';

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-TW' || value === 'en';
}

/** True when this browser has a language chosen with the switch. */
export function hasStoredLanguage(): boolean {
  try {
    return isLanguage(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE; // storage can be disabled (private mode, policies)
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-TW': { translation: zhTW }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});
applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/** Switches the UI language and remembers the choice for the next visit. */
export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not persisted; the switch still applies to this visit
  }
  void i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

export default i18n;
