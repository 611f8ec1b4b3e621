/** What the customer pages share: query keys and the kind tag. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/types';

export const customerKey = {
  all: ['customers'] as const,
  search: (query: object) => ['customers', 'search', query] as const,
  one: (id: string) => ['customers', 'one', id] as const,
  history: (id: string) => ['customers', 'one', id, 'history'] as const,
  points: (id: string) => ['customers', 'one', id, 'points'] as const,
};

export function KindTag({ kind }: { kind: Customer['kind'] }) {
  const { t } = useTranslation('customers');
  return (
    <Tag color={kind === 'member' ? 'gold' : 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`kind.${kind}`)}
    </Tag>
  );
}
