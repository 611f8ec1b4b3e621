/**
 * Reads and changes of the cashier shifts (/api/v1/shifts) shared by the window's shift panel and the shifts
 * pages. Every change refreshes every shift read: a close changes the list, the shift, its report and "mine".
 */
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { TillShift, TillShiftEvent, TillShiftReport } from '../../api/types';

export const DENOMINATIONS = {
  y100: 10_000,
  y50: 5_000,
  y20: 2_000,
  y10: 1_000,
  y5: 500,
  y1: 100,
  j5: 50,
  j1: 10,
} as const;
export type DenominationCode = keyof typeof DENOMINATIONS;
export const DENOMINATION_CODES = Object.keys(DENOMINATIONS) as DenominationCode[];

/** Non-cash tenders a cashier reads off the terminals' settlement slips. */
export const NON_CASH = ['bank_card', 'wechat', 'alipay'] as const;

export interface MyShifts {
  open: TillShift[];
  handoversToMe: TillShift[];
}

export const myShiftsQuery = () =>
  queryOptions({ queryKey: ['shifts', 'mine'], queryFn: () => api.get<MyShifts>('/shifts/mine') });

export const shiftReportQuery = (shiftId: string) =>
  queryOptions({
    queryKey: ['shifts', 'report', shiftId],
    queryFn: () => api.get<TillShiftReport>(`/shifts/${shiftId}/report`),
  });

export const shiftListQuery = (query: Record<string, string | number | undefined>) =>
  queryOptions({
    queryKey: ['shifts', 'list', query],
    queryFn: () => api.get<{ shifts: TillShift[]; total: number }>('/shifts', query),
  });

export function refreshShifts(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: ['shifts'] });
}

export const shiftApi = {
  open: (body: { siteId: string; windowId: string; floatFen?: number; handoverFrom?: string }) =>
    api.post<TillShift>('/shifts', body),
  movement: (
    shiftId: string,
    kind: 'drops' | 'payouts',
    body: { amountFen: number; reason: string },
    key: string,
  ) => api.post<TillShiftEvent>(`/shifts/${shiftId}/${kind}`, body, { 'Idempotency-Key': key }),
  close: (shiftId: string, body: CountBody) => api.post<TillShiftReport>(`/shifts/${shiftId}/close`, body),
  handover: (shiftId: string, body: CountBody & { toCashierId: string }) =>
    api.post<TillShiftReport>(`/shifts/${shiftId}/handover`, body),
  approve: (shiftId: string, note: string) => api.post<TillShift>(`/shifts/${shiftId}/approve`, { note }),
  adjust: (shiftId: string, body: { method: string; amountFen: number; reason: string }, key: string) =>
    api.post<TillShiftEvent>(`/shifts/${shiftId}/adjustments`, body, { 'Idempotency-Key': key }),
};

export interface CountBody {
  countedCashFen: number;
  denominations?: Partial<Record<DenominationCode, number>>;
  recorded?: Partial<Record<(typeof NON_CASH)[number], number>>;
  note?: string;
}

/** The shift report's printout (80 mm PDF) and its table exports. */
export const shiftReportPdfPath = (shiftId: string) => `/shifts/${shiftId}/report.pdf`;
export const shiftExportPath = (shiftId: string) => `/shifts/${shiftId}/report/export`;
