/**
 * Printing costs, run in a fresh process so the first call includes what a cold server pays once (reading and
 * unwrapping Noto Sans SC, loading pdfkit's and bwip-js's code): `npm run bench:printing`.
 */
import { renderReceiptPdf } from '../../src/modules/printing/receipt.js';
import { renderTicketEscPos, renderTicketsPdf } from '../../src/modules/printing/service.js';
import { sampleReceipt, sampleTicket } from '../../src/modules/printing/testing/fixtures.js';

const ticket = sampleTicket();
const receipt = sampleReceipt();

async function timeOnce(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function perCall(
  run: () => Promise<unknown> | unknown,
  n: number,
): Promise<{ mean: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await timeOnce(run));
  times.sort((a, b) => a - b);
  return { mean: times.reduce((a, b) => a + b, 0) / n, p95: times[Math.floor(n * 0.95)]! };
}

const first = await timeOnce(() => renderTicketsPdf([ticket]));
for (let i = 0; i < 20; i++) await renderTicketsPdf([ticket]);
const one = await perCall(() => renderTicketsPdf([ticket]), 200);
const ten = await perCall(
  () =>
    renderTicketsPdf(
      Array.from({ length: 10 }, () => ticket),
      { page: 'a4' },
    ),
  30,
);
const rec = await perCall(() => renderReceiptPdf(receipt), 100);
const esc = await perCall(() => renderTicketEscPos(ticket), 500);
const size = (await renderTicketsPdf([ticket])).length;

const f = (ms: number) => ms.toFixed(2);
console.log(`first one-ticket PDF (cold, includes font unwrap): ${f(first)} ms`);
console.log(`one-ticket PDF, warm: mean ${f(one.mean)} ms, p95 ${f(one.p95)} ms, ${size} bytes`);
console.log(`ten tickets on A4 (3 sheets), warm: mean ${f(ten.mean)} ms, p95 ${f(ten.p95)} ms`);
console.log(`receipt PDF, warm: mean ${f(rec.mean)} ms, p95 ${f(rec.p95)} ms`);
console.log(`ticket ESC/POS, warm: mean ${f(esc.mean)} ms, p95 ${f(esc.p95)} ms`);
