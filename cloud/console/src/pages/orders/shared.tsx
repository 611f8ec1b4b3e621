/**
 * What the order board and an order's detail share: the query keys, the state tag (a colour for every state of
 * cloud/src/modules/group-orders/states.ts), agency names, ticket type names and a day's slots as labels.
 */
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../../api/client';
import type {
  AgencyPage,
  Availability,
  GroupOrderState,
  GroupOrderSummary,
  TicketType,
} from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { nameOf } from '../desk/labels';

export const orderKey = {
  all: ['group-orders'] as const,
  board: (query: object) => ['group-orders', 'board', query] as const,
  one: (id: string) => ['group-orders', 'one', id] as const,
};

/** The order's tickets as a PDF (stubs), opened in a tab to print. */
export function orderPdfUrl(orderId: string): string {
  return apiUrl(`/group-orders/${encodeURIComponent(orderId)}/tickets.pdf`);
}

/** The API's ORDER_STATES in the order an order moves through them; the Record keeps the list complete. */
export const STATE_COLORS: Readonly<Record<GroupOrderState, string>> = {
  held: 'gold',
  confirmed: 'blue',
  picked_up: 'green',
  closed: 'purple',
  cancelled: 'red',
  expired: 'volcano',
};
export const STATES = Object.keys(STATE_COLORS) as GroupOrderState[];

export function StateTag({ state }: { state: GroupOrderState }) {
  const { t } = useTranslation('orders');
  return (
    <Tag color={STATE_COLORS[state]} data-testid="order-state" style={{ marginInlineEnd: 0 }}>
      {t(`state.${state}`)}
    </Tag>
  );
}

export function ModeTag({ mode }: { mode: GroupOrderSummary['paymentMode'] }) {
  const { t } = useTranslation('orders');
  const color = mode === 'prepaid' ? 'blue' : mode === 'credit' ? 'purple' : 'default';
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }}>
      {t(`mode.${mode}`)}
    </Tag>
  );
}

/**
 * The agencies by id, for names and the board's filter. Only with agencies.read (what all sites share); others see
 * the agency's id, as the API gives it.
 */
export function useAgencies() {
  const enabled = allows(useMe().data ?? undefined, 'agencies.read');
  const list = useQuery({
    queryKey: ['agencies', 'list', 'names'],
    queryFn: () => api.get<AgencyPage>('/agencies', { limit: 500 }),
    enabled,
    staleTime: 60_000,
  });
  const agencies = list.data?.agencies ?? [];
  return {
    enabled,
    agencies,
    nameOf: (id: string | null) => (id === null ? null : (agencies.find((a) => a.id === id)?.name ?? id)),
  };
}

/** Ticket type names of a site (ticket_types.read), by type id; "#id" when unknown. */
export function useTypeNames(siteId: string | undefined) {
  const enabled = allows(useMe().data ?? undefined, 'ticket_types.read') && Boolean(siteId);
  const types = useQuery({
    queryKey: ['ticket-types', 'list', siteId],
    queryFn: () => api.get<TicketType[]>('/ticket-types', { siteId: siteId ?? '' }),
    enabled,
    staleTime: 60_000,
  });
  return (typeId: number) => {
    const type = types.data?.find((candidate) => candidate.typeId === typeId);
    return type ? `${nameOf(type.name)} (#${typeId})` : `#${typeId}`;
  };
}

/** A site's day: its slots with places left (capacity.read), for slot labels and the modify dialog. */
export function useDay(siteId: string | undefined, date: string | undefined) {
  const enabled = allows(useMe().data ?? undefined, 'capacity.read') && Boolean(siteId && date);
  return useQuery({
    queryKey: ['capacity', 'availability', siteId, date],
    queryFn: () =>
      api.get<Availability>('/capacity/availability', { siteId: siteId ?? '', date: date ?? '' }),
    enabled,
    staleTime: 15_000,
  });
}

/** "09:00–11:00" for a slot id the day knows, else the id; "全天" without a slot. */
export function useSlotLabel(siteId: string | undefined, date: string | undefined) {
  const { t } = useTranslation('orders');
  const day = useDay(siteId, date);
  return (slotId: string | null) => {
    if (slotId === null) return t('field.allDay');
    const slot = day.data?.slots.find((candidate) => candidate.id === slotId);
    return slot ? `${slot.start}–${slot.end}` : slotId;
  };
}
