import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import { isLanguage } from '../../../i18n/index.js';
import type { Taxonomy } from '../types.js';

export function useTaxonomy() {
  return useQuery({ queryKey: ['taxonomy'], queryFn: () => api.get<Taxonomy>('/taxonomy'), staleTime: Infinity });
}

/** Labels of RSIT classes and types in the current language. */
export function useRsitLabels() {
  const { i18n } = useTranslation();
  const { data } = useTaxonomy();
  const language = isLanguage(i18n.language) ? i18n.language : 'zh-TW';
  return {
    classLabel: (id: string | null) => (id ? (data?.rsit.find((c) => c.id === id)?.label[language] ?? id) : ''),
    typeLabel: (classId: string | null, typeId: string | null) =>
      classId && typeId ? (data?.rsit.find((c) => c.id === classId)?.types.find((x) => x.id === typeId)?.label[language] ?? typeId) : '',
  };
}
