/**
 * 64-bit integers (money in fen, epoch milliseconds, counts) come back from both databases as plain JS numbers, and
 * a value that a number cannot hold exactly fails loudly instead of being rounded. Our values stay far below 2^53
 * (9e15 fen is 90 trillion yuan; 9e15 ms is year 287396), so a failure here means corrupt data or a bug.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import pg from 'pg';

export class IntegerOverflowError extends RangeError {
  override readonly name = 'IntegerOverflowError';
  constructor(readonly value: string) {
    super(
      `database integer ${value} is outside ±Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}) and cannot be read exactly`,
    );
  }
}

function toSafeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new IntegerOverflowError(text);
  return value;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function bigintToSafeNumber(value: bigint): number {
  if (value > MAX || value < -MAX) throw new IntegerOverflowError(value.toString());
  return Number(value);
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** PostgreSQL numeric: whole values (SUM over bigint yields numeric) are guarded like int8; fractions (AVG) parse as floats. */
function parseNumeric(text: string): number {
  return /^-?\d+$/.test(text) ? toSafeNumber(text) : Number(text);
}

/**
 * Type parsers for one pg pool (not pg's process-wide registry, so no other pg user in the process is affected).
 * pg turns a parser's exception into a rejected query and keeps the connection usable.
 */
export const pgTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8_OID) return toSafeNumber;
    if (format !== 'binary' && oid === NUMERIC_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * better-sqlite3 would silently round an INTEGER beyond 2^53 to the nearest double. The SQLite connection runs
 * with `defaultSafeIntegers(true)` so every INTEGER arrives as a bigint, and this plugin turns each into a number,
 * throwing when it does not fit.
 */
export class SafeIntegerPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) {
      for (const key in row) {
        const value = row[key];
        if (typeof value === 'bigint') row[key] = bigintToSafeNumber(value);
      }
    }
    return args.result;
  }
}
