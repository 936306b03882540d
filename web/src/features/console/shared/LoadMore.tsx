import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The subset of an infinite query that a "more" button needs. */
export interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "More" under a keyset-paged list: shown while the server has another page. */
export function LoadMore({ list }: { list: PagedList }) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <Button size="xs" variant="outline" w="fit-content" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
      {t('common.more')}
    </Button>
  );
}
