/** The API's own types (cloud/src/api-types.ts) plus the console's paging shape. */
export type * from '@scenic/cloud/api-types';

/** A page of a list route that answers `{ items, total }` or `{ items, nextCursor }`. */
export interface Page<T> {
  readonly items: T[];
  readonly total?: number;
  readonly nextCursor?: string | null;
}
