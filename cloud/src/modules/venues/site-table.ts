/**
 * The SQL of a table whose rows belong to a site (zones, windows, gates): list a site's rows, find, insert, update
 * and delete one. The tables differ only in their columns and in what names a row: zone and window ids are unique
 * within their site, gate ids installation-wide.
 */
import type { Kysely, Selectable } from 'kysely';
import { precompile } from '../../db/precompiled.js';
import type { Connection } from '../../db/scoped.js';
import { pagedList } from './paged-list.js';
import type { Page, PageQuery } from './schemas.js';
import type { VenueTables } from './tables.js';

type Db = Connection;

/** The columns every such table has: all the queries below name. */
interface SiteRow {
  site_id: string;
  id: string;
  created_at: number;
}

/**
 * The queries are built over this view of the tables: Kysely cannot type a query on a table known only as a type
 * parameter. Each table's own row type is checked where its spec is declared (`toRow`, `toEntity`).
 */
type SiteTables = Kysely<Record<string, SiteRow>>;

export interface SiteTableSpec<T extends keyof VenueTables, Entity, Key extends keyof SiteRow> {
  readonly table: T;
  /** The columns that name one row: `site_id` and `id`, or `id` alone where ids are unique across sites. */
  readonly key: readonly Key[];
  readonly toEntity: (row: Selectable<VenueTables[T]>) => Entity;
  readonly toRow: (entity: Entity) => Selectable<VenueTables[T]>;
}

export interface SiteTable<Entity, Key extends keyof SiteRow> {
  /** One page of the site's rows in id order. */
  list(db: Db, siteId: string, page: PageQuery): Promise<Page<Entity>>;
  find(db: Db, key: Pick<SiteRow, Key>): Promise<Entity | undefined>;
  insert(db: Db, entity: Entity): Promise<void>;
  /** Writes every column but `site_id` (a row never moves to another site), `id` and `created_at`. */
  update(db: Db, entity: Entity): Promise<void>;
  delete(db: Db, key: Pick<SiteRow, Key>): Promise<void>;
}

export function siteTable<T extends keyof VenueTables, Entity, Key extends 'site_id' | 'id'>(
  spec: SiteTableSpec<T, Entity, Key>,
): SiteTable<Entity, Key> {
  const table: string = spec.table;
  const key: readonly ('site_id' | 'id')[] = spec.key;
  const toEntity = spec.toEntity as (row: SiteRow) => Entity;
  const toRow = spec.toRow as (entity: Entity) => SiteRow;
  // The venues module's own tables only (tables.ts declares them); the cast is the same object, as venueTables does.
  const view = (db: Db) => db as unknown as SiteTables;

  // Sales read their window in every transaction: a find is compiled once (db/precompiled.ts).
  const byKey = precompile<Pick<SiteRow, Key>, SiteRow, Record<string, SiteRow>>((db, p) => {
    let select = db.selectFrom(table).selectAll();
    for (const name of key) select = select.where(name, '=', (p as SiteRow)[name]);
    return select;
  });

  return {
    list: (db, siteId, page) =>
      pagedList(view(db).selectFrom(table).selectAll().where('site_id', '=', siteId), page, toEntity),
    async find(db, id) {
      const row = await byKey.first(db, id);
      return row && toEntity(row);
    },
    async insert(db, entity) {
      await view(db).insertInto(table).values(toRow(entity)).execute();
    },
    async update(db, entity) {
      const { site_id, id, created_at, ...changes } = toRow(entity);
      const row = { site_id, id };
      let update = view(db).updateTable(table).set(changes);
      for (const name of key) update = update.where(name, '=', row[name]);
      await update.execute();
    },
    async delete(db, id) {
      let remove = view(db).deleteFrom(table);
      for (const name of key) remove = remove.where(name, '=', (id as SiteRow)[name]);
      await remove.execute();
    },
  };
}
