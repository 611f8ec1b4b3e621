/**
 * Hot statements compiled once. Kysely builds every query as a tree of frozen nodes and compiles it with a visitor
 * pass on every call; on the busiest paths (a sale, a passage event, a command acknowledgement) that costs more CPU
 * than SQLite spends running the statement. A precompiled statement is built once per SQL dialect with placeholder
 * values standing for its named parameters; a call only puts the real values in place and runs the SQL text, through
 * the same executor (same connection or transaction, same result plugins) as a built query.
 *
 * Only plain scalar parameters can be placeholders: a builder that inspects a value (an `in` list, a JSON object)
 * would see the placeholder instead. Build such statements the usual way.
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Connection } from './scoped.js';

/** One placeholder per parameter name; pass them where the values go. */
export type Placeholders<P> = { readonly [K in keyof P]: P[K] };

interface Compiled {
  readonly sql: string;
  /** For each parameter position: the name of the placeholder it takes, or the constant the build used. */
  readonly slots: readonly ({ readonly name: string } | { readonly constant: unknown })[];
}

class Placeholder {
  constructor(readonly name: string) {}
}

export interface PrecompiledStatement<P, Row> {
  /** Every row the statement returns (none for a plain write). */
  rows(db: Connection, params: P): Promise<Row[]>;
  /** The first row, or undefined. */
  first(db: Connection, params: P): Promise<Row | undefined>;
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  changed(db: Connection, params: P): Promise<number>;
}

/**
 * `build` receives the database and a placeholder object: `precompile<{ id: number }, Row, DB>((db, p) =>
 * db.selectFrom('gates').selectAll().where('id', '=', p.id))`. It runs once per dialect, so it must not branch on
 * parameter values. Modules build theirs through their table scope (`venueTables.precompile(…)`, scoped.ts), which
 * types `db` on the module's own tables; the statement then runs on any connection or transaction. There is no
 * default `DB`: a statement names the tables it is typed on.
 */
export function precompile<P extends Record<string, unknown>, Row, DB>(
  build: (db: Kysely<DB>, p: Placeholders<P>) => Compilable<Row>,
): PrecompiledStatement<P, Row> {
  // Keyed by the dialect's adapter class: a transaction shares its database's adapter, and SQLite and PostgreSQL
  // compile the same statement to different text.
  const byDialect = new Map<unknown, Compiled>();
  const placeholders = new Proxy({} as Placeholders<P>, {
    get: (_target, name) => new Placeholder(String(name)),
  });

  function compiled(db: Connection): Compiled {
    const key = db.getExecutor().adapter.constructor;
    let entry = byDialect.get(key);
    if (!entry) {
      // Every connection is a Kysely handle (scoped.ts); `build` was type-checked against the tables it names.
      const query = build(db as unknown as Kysely<DB>, placeholders).compile();
      entry = {
        sql: query.sql,
        slots: query.parameters.map((value) =>
          value instanceof Placeholder ? { name: value.name } : { constant: value },
        ),
      };
      byDialect.set(key, entry);
    }
    return entry;
  }

  function run(db: Connection, params: P): Promise<QueryResult<Row>> {
    const { sql, slots } = compiled(db);
    const values = slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const value = params[slot.name];
      if (value === undefined) throw new TypeError(`precompiled statement parameter ${slot.name} is missing`);
      return value;
    });
    return db.getExecutor().executeQuery<Row>(CompiledQuery.raw(sql, values));
  }

  return {
    rows: async (db, params) => (await run(db, params)).rows,
    first: async (db, params) => (await run(db, params)).rows[0],
    changed: async (db, params) => Number((await run(db, params)).numAffectedRows ?? 0n),
  };
}
