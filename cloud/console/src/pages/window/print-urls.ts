/** Where a sale's tickets and receipt print from: PDF for a browser tab, ESC/POS bytes for a thermal printer. */
import { apiUrl } from '../../api/url';

export function printUrls(saleId: string) {
  const base = `/sales/${encodeURIComponent(saleId)}`;
  return {
    tickets: apiUrl(`${base}/tickets.pdf`),
    ticketsA4: apiUrl(`${base}/tickets.pdf`, { page: 'a4' }),
    receipt: apiUrl(`${base}/receipt.pdf`),
    escposTickets: apiUrl(`${base}/escpos`, { what: 'tickets' }),
    escposReceipt: apiUrl(`${base}/escpos`, { what: 'receipt' }),
  };
}
