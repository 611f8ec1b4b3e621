/**
 * The totals row, worked out while the rows stream past: each summed column (report.ts `summed`) adds up in bigint,
 * so a million rows of fen total exactly; what the report gives in `totals.values` wins over a sum; the label goes
 * into the first text column left empty — or, when a table has none (a table by date), into its first empty cell,
 * written as text (`totalsColumns`).
 */
import type { Language } from '../language.js';
import { integerOf } from './cells.js';
import { type ReportColumn, type ReportRow, type ReportTable, summed, TOTAL_LABEL } from './report.js';

export class TotalsAccumulator {
  private readonly summedColumns: readonly ReportColumn[];
  private readonly sums: bigint[];
  private labelled: readonly ReportColumn[];

  constructor(private readonly columns: readonly ReportColumn[]) {
    this.labelled = columns;
    this.summedColumns = columns.filter(summed);
    this.sums = this.summedColumns.map(() => 0n);
  }

  add(row: ReportRow): void {
    for (let i = 0; i < this.summedColumns.length; i++) {
      const column = this.summedColumns[i]!;
      const value = integerOf(column, row[column.key]);
      if (value !== null) this.sums[i]! += value;
    }
  }

  /** The totals row of `table` once every row was added; undefined when the table has none. */
  async totalsRow(table: ReportTable, language: Language): Promise<ReportRow | undefined> {
    const { totals } = table;
    if (!totals) return undefined;
    const given = typeof totals.values === 'function' ? await totals.values() : (totals.values ?? {});
    const row: Record<string, ReportRow[string]> = {};
    this.summedColumns.forEach((column, i) => {
      const sum = this.sums[i]!;
      row[column.key] =
        sum >= BigInt(Number.MIN_SAFE_INTEGER) && sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
    });
    for (const [key, value] of Object.entries(given)) if (value !== undefined) row[key] = value;
    const empty = (column: ReportColumn) => row[column.key] === undefined || row[column.key] === null;
    const labelColumn =
      table.columns.find((column) => column.kind === 'text' && empty(column)) ?? table.columns.find(empty);
    if (labelColumn) {
      row[labelColumn.key] = (totals.label ?? TOTAL_LABEL)[language];
      this.labelled = this.columns.map((column) =>
        column.key === labelColumn.key ? { ...column, kind: 'text' } : column,
      );
    }
    return row;
  }

  /** The columns to write the totals row with: the label's column is text there, whatever it is in the rows. */
  get totalsColumns(): readonly ReportColumn[] {
    return this.labelled;
  }
}
