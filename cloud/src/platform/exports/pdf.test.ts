import { describe, expect, it } from 'vitest';
import { writePdf } from './pdf.js';
import { collector, havePdftotext, manyRows, ROWS, rowsOf, sampleTable } from './testing.js';

async function pdfOf(table = sampleTable(), language: 'zh-CN' | 'en' = 'zh-CN') {
  const { out, bytes } = collector();
  await writePdf(table, { language }, out);
  return bytes();
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe.skipIf(!havePdftotext)('PDF export', async () => {
  const { pdfText } = await import('./testing.js');

  it('prints the Chinese title, headers, rows and the bold total', async () => {
    const pdf = await pdfOf();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('售票日报');
    expect(text).toContain('2026-12-07 至 2026-12-08 · 主景区');
    for (const header of ['营业日', '票种', '张数', '营业额（元）', '均价（元）', '最后售出', '同比'])
      expect(text).toContain(header);
    expect(text).toContain('成人票');
    expect(text).toContain('2026-12-07 14:30:05 +08:00');
    expect(text).toContain('12.34%');
    expect(text).toContain('-120.00');
    expect(text).toMatch(/合计\s+5\s+240\.30/);
    expect(text).toMatch(/第\s*1\s*页/);
  });

  it('repeats the header on every page and numbers the pages', async () => {
    const count = 200;
    const text = pdfText(await pdfOf({ ...sampleTable(), rows: manyRows(count) }));
    const pages = text.split('\f').filter((page) => page.trim());
    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((page, i) => {
      expect(page).toContain('营业额（元）');
      expect(page).toMatch(new RegExp(`第\\s*${i + 1}\\s*页`));
    });
    expect(occurrences(text, '最后售出')).toBe(pages.length);
    let fen = 0;
    for (let i = 0; i < count; i++) fen += 100 + (i % 100);
    expect(pages.at(-1)).toMatch(
      new RegExp(`合计\\s+${count}\\s+${(fen / 100).toFixed(2).replace('.', '\\.')}`),
    );
  });

  it('English headers and page label', async () => {
    const text = pdfText(await pdfOf(sampleTable(), 'en'));
    expect(text).toContain('Daily sales');
    expect(text).toContain('Takings (¥)');
    expect(text).toContain('Page 1');
    expect(text).toMatch(/Total\s+5\s+240\.30/);
  });

  it('a table without rows still prints its heading and totals', async () => {
    const text = pdfText(await pdfOf({ ...sampleTable(), rows: rowsOf([]) }));
    expect(text).toContain('售票日报');
    expect(text).toMatch(/合计\s+0\s+0\.00/);
  });

  it('an error in the rows destroys the output and rejects', async () => {
    const { out } = collector();
    async function* failing() {
      yield ROWS[0]!;
      throw new Error('database went away');
    }
    await expect(writePdf({ ...sampleTable(), rows: failing() }, { language: 'zh-CN' }, out)).rejects.toThrow(
      'database went away',
    );
    expect(out.destroyed).toBe(true);
  });
});
