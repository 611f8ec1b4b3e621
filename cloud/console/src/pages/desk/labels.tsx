/** Small pieces every desk page shows the same way: ticket states, type names, payment methods, money and times. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SalePaymentMethod as PaymentMethod, Ticket } from '../../api/types';
import { formatFen } from '../../format/money';
import { currentLanguage } from '../../i18n';
import { desk } from '../../i18n/areas/desk';

type Status = Ticket['status'];

const STATUS_COLORS: Record<Status, string> = {
  active: 'green',
  not_activated: 'default',
  used: 'blue',
  refunded: 'orange',
  revoked: 'default',
  blacklisted: 'red',
};

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation('desk');
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="ticket-status">
      {t(`status.${status}`)}
    </Tag>
  );
}

/** A ticket type's (or line's) name in the console's language. */
export function nameOf(name: { zh: string; en: string }): string {
  return currentLanguage() === 'en' ? name.en || name.zh : name.zh || name.en;
}

export function useMethodLabel(): (method: PaymentMethod) => string {
  const { t } = useTranslation('desk');
  return (method) => t(`methods.${method}`);
}

/** "微信 ¥50.00 · 现金 ¥150.00" */
export function usePaymentsText(): (
  payments: readonly { method: PaymentMethod; amountFen: number }[],
) => string {
  const label = useMethodLabel();
  const { t } = useTranslation('desk');
  return (payments) =>
    payments.length === 0
      ? t('common.none')
      : payments.map((p) => `${label(p.method)} ${formatFen(p.amountFen)}`).join(' · ');
}

/** Right-aligned money in tables. */
export function Money({ fen, strong }: { fen: number; strong?: boolean }) {
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined }}>
      {formatFen(fen)}
    </span>
  );
}

/** The first 8 characters of a UUID, enough to tell sales apart on screen (the full id is in the tooltip). */
export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

type Reason = keyof (typeof desk)['zh-CN']['reasons'];
type Kind = keyof (typeof desk)['zh-CN']['kinds'];

/** A gate decision's reason in words ("已退票"), or the code itself when the console does not know it. */
export function useReasonText(): (reason: string) => string {
  const { t } = useTranslation('desk');
  return (reason) =>
    Object.hasOwn(desk['zh-CN'].reasons, reason) ? t(`reasons.${reason as Reason}`) : reason;
}

/** A ticket kind in words (单次票, 次卡, …), or the kind itself. */
export function useKindText(): (kind: string) => string {
  const { t } = useTranslation('desk');
  return (kind) => (Object.hasOwn(desk['zh-CN'].kinds, kind) ? t(`kinds.${kind as Kind}`) : kind);
}
