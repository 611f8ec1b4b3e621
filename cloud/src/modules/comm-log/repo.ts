/** SQL for the communication log; the same statements on SQLite and PostgreSQL. */

import { sql } from 'kysely';
import { chunkedInsert } from '../../db/chunked-insert.js';
import type { Connection } from '../../db/scoped.js';
// A gate chooses a record's topic and message type: a NUL in one failed its whole batch on PostgreSQL, and the
// writer retried it forever (nothing was logged any more).
import { storableText } from '../../db/storable-text.js';
import type { CommRecord } from '../../mqtt/extensions/types.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type CommLogDb, type CommLogTable, commLogTables } from './tables.js';

/** The record's field for each inserted column, in one fixed order. */
const COLUMNS = [
  ['at', 'at'],
  ['direction', 'direction'],
  ['site_id', 'siteId'],
  ['gate_id', 'gateId'],
  ['topic', 'topic'],
  ['channel', 'channel'],
  ['message_type', 'messageType'],
  ['size', 'size'],
  ['result', 'result'],
  ['reason', 'reason'],
  ['latency_ms', 'latencyMs'],
] as const satisfies readonly (readonly [keyof CommLogTable, keyof CommRecord])[];

/**
 * Every message to or from a gate becomes a row, thousands a second with a busy fleet, so the writer's batches are
 * stored in chunks (db/chunked-insert.ts).
 */
const insertRecords = chunkedInsert({
  columns: COLUMNS.map(([column]) => column),
  build: (db: CommLogDb, rows) => db.insertInto('comm_log').values(rows),
  read: (record: CommRecord, column) => storableText(record[COLUMNS[column]![1]]),
});

/** A minute's repeats of one rejection, as the writer gathered them (writer.ts): the first record and the totals. */
export interface RepeatedRecord {
  readonly record: CommRecord;
  readonly repeatKey: string;
  count: number;
  size: number;
}

const REPEAT_COLUMNS = [...COLUMNS.map(([column]) => column), 'count', 'repeat_key'] as const;

/**
 * Repeats add to their minute's row if it exists (an earlier batch, another cloud instance): one upsert on the
 * unique `repeat_key`, whose partial index the conflict target names with its predicate.
 */
const upsertRepeats = chunkedInsert({
  columns: REPEAT_COLUMNS,
  build: (db: CommLogDb, rows) =>
    db
      .insertInto('comm_log')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('repeat_key')
          .where('repeat_key', 'is not', null)
          .doUpdateSet((eb) => ({
            count: eb('comm_log.count', '+', eb.ref('excluded.count')),
            size: eb('comm_log.size', '+', eb.ref('excluded.size')),
          })),
      ),
  read: (repeat: RepeatedRecord, column) => {
    if (column < COLUMNS.length) {
      const field = COLUMNS[column]![1];
      // The first message's fields (its time, topic, latency), with the bytes of all.
      return field === 'size' ? repeat.size : storableText(repeat.record[field]);
    }
    return column === COLUMNS.length ? repeat.count : storableText(repeat.repeatKey);
  },
});

export interface CommLogFilter {
  readonly siteId?: string;
  readonly gateId?: string;
  readonly direction?: 'in' | 'out';
  readonly messageType?: string;
  readonly result?: 'ok' | 'rejected';
  readonly reason?: string;
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
}

export interface CommLogRow {
  id: number;
  at: number;
  direction: 'in' | 'out';
  siteId: string | null;
  gateId: string | null;
  topic: string;
  channel: string | null;
  messageType: string | null;
  size: number;
  result: 'ok' | 'rejected';
  reason: string | null;
  latencyMs: number | null;
  /** Messages the row stands for: more than 1 for a minute's repeats of one rejection. */
  count: number;
}

export interface SummaryBucketRow {
  bucket: number;
  siteId: string | null;
  gateId: string | null;
  direction: 'in' | 'out';
  result: 'ok' | 'rejected';
  messages: number;
  bytes: number;
  latencySum: number | null;
  latencyCount: number;
  latencyMax: number | null;
}

export class CommLogRepo {
  private readonly db: CommLogDb;

  constructor(db: Connection) {
    this.db = commLogTables(db);
  }

  async insertMany(records: readonly CommRecord[]): Promise<void> {
    await insertRecords(this.db, records);
  }

  /** Adds each minute's repeats to that minute's row, creating it when it is the first of its minute. */
  async upsertRepeats(repeats: readonly RepeatedRecord[]): Promise<void> {
    await upsertRepeats(this.db, repeats);
  }

  async list(
    filter: CommLogFilter,
    page: { limit: number; offset: number },
    scope: SiteScope = ALL_SITES,
  ): Promise<{ items: CommLogRow[]; total: number }> {
    const base = this.filtered(filter, scope);
    const totalRow = await base
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await base
      .select([
        'id',
        'at',
        'direction',
        'site_id as siteId',
        'gate_id as gateId',
        'topic',
        'channel',
        'message_type as messageType',
        'size',
        'result',
        'reason',
        'latency_ms as latencyMs',
        'count',
      ])
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      items: rows.map((row) => ({ ...row, count: Number(row.count) })),
      total: Number(totalRow.total),
    };
  }

  /**
   * Counts per gate, bucket, direction and result, where bucket i is [starts[i], starts[i+1]). The buckets are
   * venue-local days computed by the caller, so any time zone (with DST) is handled exactly.
   */
  async summarise(
    starts: readonly number[],
    filter: Pick<CommLogFilter, 'siteId' | 'gateId'>,
    scope: SiteScope = ALL_SITES,
  ): Promise<SummaryBucketRow[]> {
    if (starts.length < 2) return [];
    // Literals, not parameters: PostgreSQL only matches the select expression with the GROUP BY one when they are
    // textually identical, and numbered parameters would differ. The values are integers we computed.
    const branches = starts
      .slice(1)
      .map((end, index) => sql`when at < ${sql.lit(Math.trunc(end))} then ${sql.lit(index)}`);
    // Always a CASE (never a bare number, which GROUP BY would read as a column position).
    const bucket = sql<number>`case ${sql.join(branches, sql` `)} end`;
    const rows = await this.filtered({ ...filter, from: starts[0], to: starts[starts.length - 1] }, scope)
      .select((eb) => [
        bucket.as('bucket'),
        'site_id as siteId',
        'gate_id as gateId',
        'direction',
        'result',
        eb.fn.sum<number>('count').as('messages'),
        eb.fn.sum<number>('size').as('bytes'),
        eb.fn.sum<number | null>('latency_ms').as('latencySum'),
        eb.fn.count<number>('latency_ms').as('latencyCount'),
        eb.fn.max('latency_ms').as('latencyMax'),
      ])
      .groupBy([bucket, 'site_id', 'gate_id', 'direction', 'result'])
      .execute();
    return rows.map((r) => ({
      ...r,
      bucket: Number(r.bucket),
      messages: Number(r.messages),
      bytes: Number(r.bytes),
      latencySum: r.latencySum === null ? null : Number(r.latencySum),
      latencyCount: Number(r.latencyCount),
      latencyMax: r.latencyMax === null ? null : Number(r.latencyMax),
    }));
  }

  /** Deletes rows older than `before` (epoch ms); returns how many. */
  async pruneBefore(before: number): Promise<number> {
    const result = await this.db.deleteFrom('comm_log').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Messages of no known site (an unknown gate's) are in no limited scope. */
  private filtered(filter: CommLogFilter, scope: SiteScope) {
    let query = this.db.selectFrom('comm_log').where(siteCondition(scope, 'site_id'));
    if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
    if (filter.gateId !== undefined) query = query.where('gate_id', '=', filter.gateId);
    if (filter.direction !== undefined) query = query.where('direction', '=', filter.direction);
    if (filter.messageType !== undefined) query = query.where('message_type', '=', filter.messageType);
    if (filter.result !== undefined) query = query.where('result', '=', filter.result);
    if (filter.reason !== undefined) query = query.where('reason', '=', filter.reason);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    return query;
  }
}
