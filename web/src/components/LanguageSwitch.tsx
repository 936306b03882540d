import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../i18n/index.js';
import type { Language } from '../lib/publicTypes.js';

const NAMES: Record<Language, string> = { 'zh-TW': '中文', en: 'English' };

/** Two plain buttons (not a menu): one click, and each names its language in that language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Group gap={4} role="group" aria-label={t('nav.language')}>
      {LANGUAGES.map((language) => {
        const active = i18n.language === language;
        return (
          <Button
            key={language}
            size="compact-sm"
            variant={active ? 'filled' : 'subtle'}
            lang={language}
            aria-pressed={active}
            onClick={() => setLanguage(language)}
          >
            {NAMES[language]}
          </Button>
        );
      })}
    </Group>
  );
}
