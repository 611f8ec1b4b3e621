import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeCsv } from './csv.js';
import { collector, manyRows, ROWS, rowsOf, sampleTable, TOTAL_FEN } from './testing.js';

async function csvOf(table = sampleTable(), language: 'zh-CN' | 'en' = 'zh-CN') {
  const { out, bytes } = collector();
  await writeCsv(table, { language }, out);
  return bytes();
}

describe('CSV export', () => {
  it('starts with a UTF-8 byte order mark, ends lines with CRLF, and reads back with Chinese intact', async () => {
    const bytes = await csvOf();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n').length).toBeGreaterThan(5);
    const records: string[][] = parse(bytes, { bom: true });
    expect(records[0]).toEqual(['营业日', '票种', '张数', '营业额（元）', '均价（元）', '最后售出', '同比']);
    expect(records[1]).toEqual([
      '2026-12-07',
      '成人票',
      '3',
      '360.00',
      '120.00',
      '2026-12-07 14:30:05 +08:00',
      '12.34%',
    ]);
    // Commas, quotes and a line break stay inside their cell.
    expect(records[2]).toEqual([
      '2026-12-07',
      '学生票, "优惠"\n第二行',
      '1',
      '0.10',
      '0.10',
      '2026-12-07 14:30:05 +08:00',
      '-5.00%',
    ]);
    // A formula is kept as text; empty cells are empty.
    expect(records[3]).toEqual(['2026-12-08', `'=HYPERLINK("x")`, '2', '0.20', '0.10', '', '']);
    expect(records[4]).toEqual([
      '2026-12-08',
      '退票',
      '-1',
      '-120.00',
      '120.00',
      '2026-12-07 15:30:05 +08:00',
      '',
    ]);
    // Totals: summed where summed, exact to the fen, given where given, the unit price left empty.
    expect(records[5]).toEqual(['', '合计', '5', (TOTAL_FEN / 100).toFixed(2), '', '', '9.00%']);
    expect(records).toHaveLength(6);
  });

  it('writes English headers and label when asked', async () => {
    const records: string[][] = parse(await csvOf(sampleTable(), 'en'), { bom: true });
    expect(records[0]?.slice(0, 3)).toEqual(['Business day', 'Ticket type', 'Tickets']);
    expect(records.at(-1)?.[1]).toBe('Total');
  });

  it('a table without rows has its header and a zero total', async () => {
    const records: string[][] = parse(await csvOf({ ...sampleTable(), rows: rowsOf([]) }), { bom: true });
    expect(records).toHaveLength(2);
    expect(records[1]?.slice(1, 4)).toEqual(['合计', '0', '0.00']);
  });

  it('streams many rows and totals them to the fen', async () => {
    const count = 20_000;
    const records: string[][] = parse(await csvOf({ ...sampleTable(), rows: manyRows(count) }), {
      bom: true,
    });
    expect(records).toHaveLength(count + 2);
    let fen = 0;
    for (let i = 0; i < count; i++) fen += 100 + (i % 100);
    expect(records.at(-1)?.[3]).toBe(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`);
  });

  it('an error in the rows destroys the output and rejects', async () => {
    const { out } = collector();
    async function* failing() {
      yield ROWS[0]!;
      throw new Error('database went away');
    }
    await expect(writeCsv({ ...sampleTable(), rows: failing() }, { language: 'zh-CN' }, out)).rejects.toThrow(
      'database went away',
    );
    expect(out.destroyed).toBe(true);
  });
});
