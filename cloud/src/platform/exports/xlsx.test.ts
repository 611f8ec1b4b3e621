import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { collector, DAY_2026_12_07, manyRows, ROWS, sampleTable, TOTAL_FEN } from './testing.js';
import { sheetName, writeXlsx } from './xlsx.js';

const DAY_MS = 86_400_000;

async function workbookOf(table = sampleTable(), language: 'zh-CN' | 'en' = 'zh-CN') {
  const { out, bytes } = collector();
  await writeXlsx(table, { language }, out);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes() as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  return { workbook, sheet };
}

describe('XLSX export', () => {
  it('reads back with real number and date cells, Chinese headers, a bold totals row equal to the sum', async () => {
    const { sheet } = await workbookOf();
    expect(sheet.name).toBe('售票日报');
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '营业日',
      '票种',
      '张数',
      '营业额（元）',
      '均价（元）',
      '最后售出',
      '同比',
    ]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(6).width).toBeGreaterThanOrEqual(27);

    const first = sheet.getRow(2);
    expect(first.getCell(1).type).toBe(ExcelJS.ValueType.Date);
    expect(first.getCell(1).value).toEqual(new Date(DAY_2026_12_07 * DAY_MS));
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(2).value).toBe('成人票');
    expect(first.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(3).value).toBe(3);
    expect(first.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(4).value).toBe(360);
    expect(first.getCell(4).numFmt).toBe('#,##0.00');
    // The venue's wall clock in a date-time cell, the offset written into its format.
    expect(first.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    expect(first.getCell(6).value).toEqual(new Date(Date.UTC(2026, 11, 7, 14, 30, 5)));
    expect(first.getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm:ss "+08:00"');
    expect(first.getCell(7).value).toBe(0.1234);
    expect(first.getCell(7).numFmt).toBe('0.00%');

    expect(sheet.getRow(3).getCell(4).value).toBe(0.1);
    // A formula-like name is a string cell, never a formula.
    expect(sheet.getRow(4).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(4).getCell(6).value).toBeNull();
    expect(sheet.getRow(5).getCell(4).value).toBe(-120);

    const totals = sheet.getRow(ROWS.length + 2);
    expect(totals.getCell(2).value).toBe('合计');
    expect(totals.getCell(4).font?.bold).toBe(true);
    expect(totals.getCell(3).value).toBe(5);
    expect(totals.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(totals.getCell(4).value).toBe(TOTAL_FEN / 100);
    let sum = 0;
    for (let r = 2; r < ROWS.length + 2; r++)
      sum += Math.round((sheet.getRow(r).getCell(4).value as number) * 100);
    expect(sum).toBe(TOTAL_FEN);
    expect(totals.getCell(5).value).toBeNull();
    expect(totals.getCell(7).value).toBe(0.09);
    expect(sheet.rowCount).toBe(ROWS.length + 2);
  });

  it('English headers, and a title Excel would refuse as a sheet name is cleaned', async () => {
    const { sheet, workbook } = await workbookOf(sampleTable(), 'en');
    expect(sheet.getRow(1).getCell(1).value).toBe('Business day');
    expect(workbook.title).toBe('Daily sales');
    expect(sheetName('a/b:c*d?e[f]g\\h')).toBe('a b c d e f g h');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
    expect(sheetName('///')).toBe('Report');
  });

  it('streams many rows; the totals row equals their sum to the fen', async () => {
    const count = 10_000;
    const { sheet } = await workbookOf({ ...sampleTable(), rows: manyRows(count) });
    expect(sheet.rowCount).toBe(count + 2);
    let fen = 0;
    for (let i = 0; i < count; i++) fen += 100 + (i % 100);
    expect(Math.round((sheet.getRow(count + 2).getCell(4).value as number) * 100)).toBe(fen);
    expect(sheet.getRow(count + 2).getCell(3).value).toBe(count);
  });

  it('an error in the rows destroys the output and rejects', async () => {
    const { out } = collector();
    async function* failing() {
      yield* manyRows(1_000);
      throw new Error('database went away');
    }
    await expect(
      writeXlsx({ ...sampleTable(), rows: failing() }, { language: 'zh-CN' }, out),
    ).rejects.toThrow('database went away');
    expect(out.destroyed).toBe(true);
  });
});
