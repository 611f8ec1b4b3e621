import { describe, expect, it } from 'vitest';
import { renderTicketsPdf } from './pdf-ticket.js';
import { OVERLONG, sampleTicket } from './testing/fixtures.js';
import {
  crop,
  decodeCode128,
  decodeQr,
  hasPoppler,
  pdfFonts,
  pdfInfo,
  pdfPages,
  pdfText,
  popplerRequired,
} from './testing/readback.js';

describe('ticket PDF', () => {
  it('starts with a PDF header and refuses an empty batch', async () => {
    const pdf = await renderTicketsPdf([sampleTicket()]);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await expect(renderTicketsPdf([])).rejects.toThrow(/at least one/);
  });

  it('refuses a barcode Code128 cannot carry', async () => {
    await expect(renderTicketsPdf([sampleTicket({ barcode: '门票' })])).rejects.toThrow(/Code128/);
  });
});

describe.runIf(hasPoppler || popplerRequired)('ticket PDF read back with poppler', () => {
  it('poppler-utils is installed (CI needs the Debian package poppler-utils)', () => {
    expect(hasPoppler).toBe(true);
  });

  it('prints the Chinese and English text in an embedded Noto Sans SC subset', async () => {
    const t = sampleTicket();
    const pdf = await renderTicketsPdf([t]);
    const text = pdfText(pdf);
    for (const s of [
      '黄山风景区',
      'Huangshan Scenic Area',
      '成人票',
      '单次票',
      '¥120.00',
      '2025-05-01',
      '09:00–10:00',
    ]) {
      expect(text).toContain(s);
    }
    for (const s of ['张三', '110105********123X', '1000000042', 'S20250501-0007', '南门 2 号窗口', '王芳']) {
      expect(text).toContain(s);
    }
    expect(text).toContain(t.barcode!);
    // Printed at 2025-04-30 13:02:05Z is 21:02 in Shanghai: the venue's zone, not the server's.
    expect(text).toContain('2025-04-30 21:02');
    const fonts = pdfFonts(pdf);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    expect(pdfInfo(pdf)).toMatch(/Page size:\s+226\.77\d* x 425\.19\d*/);
  });

  it('scans at 203 dpi: the QR gives the credential verbatim (leading space kept), Code128 the digits', async () => {
    const t = sampleTicket();
    expect(t.qrText!.startsWith(' ')).toBe(true);
    const [page] = pdfPages(await renderTicketsPdf([t]));
    expect(decodeQr(page!)).toBe(t.qrText);
    expect(decodeCode128(page!)).toBe(t.barcode);
  });

  it('keeps overlong names inside the stub, ending them with an ellipsis, and the codes still scan', async () => {
    const t = sampleTicket({
      venueName: { zh: OVERLONG.venueZh, en: OVERLONG.typeEn },
      ticketTypeName: { zh: OVERLONG.typeZh, en: OVERLONG.typeEn },
      holder: { name: OVERLONG.holder, maskedId: '110105********123X' },
      kind: 'count',
      entries: 10,
      persons: 5,
    });
    const pdf = await renderTicketsPdf([t]);
    expect(pdfInfo(pdf)).toMatch(/Pages:\s+1\n/);
    const text = pdfText(pdf);
    expect(text).toContain('…');
    expect(text).toMatch(/10\s*次/);
    expect(text).toMatch(/5\s*人/);
    const [page] = pdfPages(pdf);
    expect(decodeQr(page!)).toBe(t.qrText);
    expect(decodeCode128(page!)).toBe(t.barcode);
  });

  it('puts four tickets on each A4 sheet, each scannable in its quarter', async () => {
    const tickets = [0, 1, 2, 3, 4].map((i) =>
      sampleTicket({ serial: `100000004${i}`, barcode: `12345678901${i}` }),
    );
    const pdf = await renderTicketsPdf(tickets, { page: 'a4' });
    expect(pdfInfo(pdf)).toMatch(/Pages:\s+2\n[\s\S]*Page size:\s+595\.27\d* x 841\.89 pts \(A4\)/);
    const pages = pdfPages(pdf);
    const quarters = [
      [0, 0, 0.5, 0.5],
      [0.5, 0, 1, 0.5],
      [0, 0.5, 0.5, 1],
      [0.5, 0.5, 1, 1],
    ] as const;
    tickets.forEach((t, i) => {
      const [x0, y0, x1, y1] = quarters[i % 4]!;
      const q = crop(pages[Math.floor(i / 4)]!, x0, y0, x1, y1);
      expect(decodeQr(q)).toBe(t.qrText);
      expect(decodeCode128(q)).toBe(t.barcode);
    });
  });

  it('prints a QR-only and a barcode-only ticket', async () => {
    const qrOnly = sampleTicket({ barcode: null });
    const barOnly = sampleTicket({ qrText: null });
    const [a, b] = pdfPages(await renderTicketsPdf([qrOnly, barOnly]));
    expect(decodeQr(a!)).toBe(qrOnly.qrText);
    expect(decodeCode128(a!)).toBeNull();
    expect(decodeQr(b!)).toBeNull();
    expect(decodeCode128(b!)).toBe(barOnly.barcode);
  });
});
