/**
 * Multi-row inserts for rows written in bulk (passage events, the communication log, tickets and their whitelist
 * feed), in a few fixed sizes, each built with Kysely and compiled once per SQL dialect; a call only binds the rows'
 * values by position and runs the SQL text, through the same executor (same connection or transaction, same result
 * plugins) as a built query.
 *
 * Why fixed sizes: building a 500-row insert with Kysely on every batch cost more than SQLite spent storing it, and
 * a few sizes keep the number of distinct SQL texts small (SQLite keeps each one prepared). A batch takes the largest
 * size that fits, again and again: 300 rows are stored as 256 + 16 + 16 + 4 + 4 + 4. Tables written a few rows at a
 * time can ask for exact sizes instead (`exactUpTo`).
 *
 * Why by position: db/precompiled.ts, the sibling for single-row statements, puts values in place by parameter name;
 * naming the 4,096 parameters of a 256-row insert on every call cost more than running it. Here each parameter
 * position is tied to one (row, column) when the statement is compiled.
 */
import { type Compilable, CompiledQuery, type InsertResult, type Kysely } from 'kysely';

const CHUNK_SIZES = [256, 64, 16, 4, 1] as const;

/**
 * SQLite's bound on parameters per statement (PostgreSQL's is 65,535). The largest chunk must stay within it, which
 * limits an insert to 127 columns.
 */
const MAX_PARAMETERS = 32_766;

/** Stands for row `row`'s value of column `column` while a statement is compiled. */
class Slot {
  constructor(
    readonly row: number,
    readonly column: number,
  ) {}
}

/**
 * One row of placeholders for the build function to pass to `.values()`. Each value is a Slot; it is typed `never`
 * so that it fits every column's type and cannot be mistaken for a value.
 */
export type PlaceholderRow<Column extends string> = { readonly [C in Column]: never };

/** What a RETURNING clause gives per stored row; nothing for an insert without one. */
export type ReturnedRow<O> = O extends InsertResult ? never : O;

export interface ChunkedInsertSpec<DB, Column extends string, Row, O> {
  /** Every inserted column, in the order `read` numbers them. */
  readonly columns: readonly Column[];
  /**
   * The insert of these placeholder rows, e.g. `(db, rows) => db.insertInto('t').values(rows)`, with any
   * `onConflict` or `returning` the statement needs. It runs once per dialect and chunk size, so it must not depend
   * on the rows' values; every parameter of the statement must be one of the placeholders.
   */
  readonly build: (db: Kysely<DB>, rows: readonly PlaceholderRow<Column>[]) => Compilable<O>;
  /** The value of `columns[column]` in this row. */
  readonly read: (row: Row, column: number) => unknown;
  /**
   * Instead of the fixed sizes: one statement for any number of rows up to this, compiled for that exact count on
   * first use (longer lists are cut into chunks of this size). For rows written a few at a time on a busy path (a
   * sale's tickets and their whitelist entries), where the fixed sizes would cut 3 rows into 3 statements.
   */
  readonly exactUpTo?: number;
}

interface Compiled {
  readonly sql: string;
  /** For each bound parameter, in order: the row and the column whose value it takes. */
  readonly slots: readonly Slot[];
}

/**
 * An insert of any number of rows in chunks of fixed sizes; returns the rows the statement's RETURNING clause gives
 * for all chunks, in chunk order. The chunks are separate statements: pass a transaction to make them one write.
 */
export function chunkedInsert<DB, Column extends string, Row, O>(
  spec: ChunkedInsertSpec<DB, Column, Row, O>,
): (db: Kysely<DB>, rows: readonly Row[]) => Promise<ReturnedRow<O>[]> {
  const { columns, build, read, exactUpTo } = spec;
  if (exactUpTo !== undefined && !(Number.isInteger(exactUpTo) && exactUpTo >= 1))
    throw new RangeError(`chunked insert: exactUpTo must be a whole number of rows, not ${exactUpTo}`);
  if (columns.length * (exactUpTo ?? CHUNK_SIZES[0]) > MAX_PARAMETERS)
    throw new RangeError(
      `chunked insert: ${columns.length} columns exceed the bound parameters of one statement`,
    );

  // Keyed by the dialect's adapter class: a transaction shares its database's adapter, and SQLite and PostgreSQL
  // compile the same statement to different text.
  const byDialect = new Map<unknown, Map<number, Compiled>>();

  function compiled(db: Kysely<DB>, size: number): Compiled {
    const dialect = db.getExecutor().adapter.constructor;
    let bySize = byDialect.get(dialect);
    if (!bySize) {
      bySize = new Map();
      byDialect.set(dialect, bySize);
    }
    let entry = bySize.get(size);
    if (!entry) {
      const placeholders = Array.from(
        { length: size },
        (_, row) =>
          Object.fromEntries(
            columns.map((name, column) => [name, new Slot(row, column)]),
          ) as PlaceholderRow<Column>,
      );
      const query = build(db, placeholders).compile();
      const slots = query.parameters.map((parameter) => {
        if (!(parameter instanceof Slot)) throw new Error('chunked insert: unexpected constant parameter');
        return parameter;
      });
      entry = { sql: query.sql, slots };
      bySize.set(size, entry);
    }
    return entry;
  }

  return async (db, rows) => {
    const returned: ReturnedRow<O>[] = [];
    let offset = 0;
    while (offset < rows.length) {
      const left = rows.length - offset;
      const size =
        exactUpTo === undefined ? (CHUNK_SIZES.find((n) => n <= left) ?? 1) : Math.min(exactUpTo, left);
      const { sql, slots } = compiled(db, size);
      const values = new Array<unknown>(slots.length);
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        values[i] = read(rows[offset + slot.row]!, slot.column);
      }
      const result = await db.executeQuery<ReturnedRow<O>>(CompiledQuery.raw(sql, values));
      for (const row of result.rows) returned.push(row);
      offset += size;
    }
    return returned;
  };
}
