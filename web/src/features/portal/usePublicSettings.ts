import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.js';
import type { PublicSettings } from '../../lib/publicTypes.js';
import { isLanguage } from '../../i18n/index.js';

export function usePublicSettings() {
  return useQuery({
    queryKey: ['public', 'settings'],
    queryFn: ({ signal }) => api.get<PublicSettings>('/public/settings', { signal }),
    staleTime: 5 * 60_000,
  });
}

/** The team's name in the current language, or the product name until settings arrive. */
export function useTeamName(): string {
  const { i18n, t } = useTranslation();
  const { data } = usePublicSettings();
  const language = isLanguage(i18n.language) ? i18n.language : 'zh-TW';
  return data?.teamName[language] || data?.teamName['zh-TW'] || t('app.name');
}
