/**
 * Table columns the refunds and supplements listed beside one sale or ticket (the sale drawer, the lookup) show the
 * same way: what a refund handed back and the fee it kept, who handled a record and who approved it. Each table adds
 * its own time, ticket and reason columns around them.
 */
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Refund } from '../../api/types';
import { Money } from './labels';

/** A refund or a supplement: the cashier who handled it and, above the threshold, the second operator. */
interface Handled {
  readonly cashier: { readonly username: string };
  readonly approvedBy: { readonly username: string } | null;
}

export function useRecordColumns() {
  const { t } = useTranslation('desk');
  const refundMoney: ColumnsType<Refund> = [
    {
      title: t('refunds.amount'),
      width: 100,
      align: 'right',
      render: (_, r) => <Money fen={r.amountFen} />,
    },
    {
      title: t('refunds.fee'),
      width: 90,
      align: 'right',
      render: (_, r) => <Money fen={r.feeFen} />,
    },
  ];
  const staff = <T extends Handled>(area: 'refunds' | 'supplements'): ColumnsType<T> => [
    { title: t(`${area}.cashier`), width: 110, render: (_, r) => r.cashier.username },
    {
      title: t(`${area}.approvedBy`),
      width: 110,
      render: (_, r) => r.approvedBy?.username ?? '—',
    },
  ];
  return { refundMoney, staff };
}
