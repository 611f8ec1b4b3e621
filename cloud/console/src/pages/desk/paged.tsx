/** The "load more" row under a server-paged list: how many are shown, and the next page on request. */
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function LoadMore(props: { shown: number; hasMore: boolean; loading: boolean; onMore: () => void }) {
  const { t } = useTranslation('desk');
  return (
    <Space style={{ marginTop: 12, width: '100%', justifyContent: 'center' }}>
      <Typography.Text type="secondary">{t('common.shown', { count: props.shown })}</Typography.Text>
      {props.hasMore ? (
        <Button onClick={props.onMore} loading={props.loading} data-testid="load-more">
          {t('common.more')}
        </Button>
      ) : props.shown > 0 ? (
        <Typography.Text type="secondary">{t('common.end')}</Typography.Text>
      ) : null}
    </Space>
  );
}
