/**
 * The "load more" button under a list read from the server page by page (an infinite query): shown only while there
 * is a next page, busy while it comes.
 */
import { Button } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

/** What the button needs of TanStack Query's infinite query. */
export interface NextPage {
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
}

export function MoreButton({ list, style }: { list: NextPage; style?: CSSProperties }) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} style={style}>
      {t('actions.more')}
    </Button>
  );
}
