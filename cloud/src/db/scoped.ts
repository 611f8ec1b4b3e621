/**
 * Table ownership in types. Every table belongs to one module (ARCHITECTURE.md lists them); the module's tables.ts
 * declares its scope with `ownedTables<…its table names>()`, and its repository queries through that scope only, so
 * a statement on another module's table does not compile. What modules hand one another is a `Connection`: it
 * carries the caller's transaction but cannot be queried until the receiving owner narrows it to its own tables.
 *
 * A few hot statements must join tables of two owners in one round trip (online validation, publishing gate
 * configs); they are declared with `readModel<…>()` instead, beside the module that runs them, so every statement
 * that crosses an owner's boundary is one search away.
 */
import type { Compilable, Kysely, QueryExecutor, Transaction } from 'kysely';
import { type Placeholders, type PrecompiledStatement, precompile } from './precompiled.js';
import type { Database } from './schema.js';

export type TableName = keyof Database;

/** A connection (or transaction) through which only the tables K can be queried. */
export type Scoped<K extends TableName> = Kysely<Pick<Database, K>>;
export type ScopedTransaction<K extends TableName> = Transaction<Pick<Database, K>>;

/**
 * A connection or transaction as one module passes it to another so that the callee's statements join the caller's
 * transaction. No query can be built on it: the callee narrows it to its own tables first. Every Kysely handle is one.
 */
export interface Connection {
  getExecutor(): QueryExecutor;
  readonly isTransaction: boolean;
}

export interface TableScope<K extends TableName> {
  /** The same connection or transaction, seen through these tables only. */
  (db: Connection): Scoped<K>;
  /** A statement compiled once (precompiled.ts), built on these tables only. */
  precompile<P extends Record<string, unknown>, Row>(
    build: (db: Scoped<K>, p: Placeholders<P>) => Compilable<Row>,
  ): PrecompiledStatement<P, Row>;
}

/** The scope of the tables one module owns; declared once, in the module's tables.ts. */
export function ownedTables<K extends TableName>(): TableScope<K> {
  return tableScope<K>();
}

/**
 * A deliberate read across owners (a join that must stay one statement on a hot path). Declared beside the statement,
 * named after it, and listed in ARCHITECTURE.md.
 */
export function readModel<K extends TableName>(): TableScope<K> {
  return tableScope<K>();
}

function tableScope<K extends TableName>(): TableScope<K> {
  // The cast only narrows what the holder may name: every handle in this process is the one Kysely<Database> opened
  // by database.ts, or a transaction on it, so it reaches every table at run time. Narrowing keeps the same object,
  // which is what transaction.ts and audit's batches key their state on.
  const narrow = (db: Connection) => db as unknown as Scoped<K>;
  return Object.assign(narrow, {
    precompile: <P extends Record<string, unknown>, Row>(
      build: (db: Scoped<K>, p: Placeholders<P>) => Compilable<Row>,
    ) => precompile<P, Row, Pick<Database, K>>(build),
  });
}

/** The transaction type of a scope: `TransactionOf<VenueDb>`. */
export type TransactionOf<D> = D extends Kysely<infer DB> ? Transaction<DB> : never;
