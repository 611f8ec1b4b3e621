/** Liveness: one round trip to the database. */
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';

export class HealthService {
  constructor(
    private readonly database: DatabaseHandle,
    /** Whether this instance runs the periodic jobs (db/leadership.ts). */
    private readonly leads: () => boolean,
  ) {}

  get dialect() {
    return this.database.dialect;
  }

  get leader(): boolean {
    return this.leads();
  }

  /** DATABASE_UNAVAILABLE when the database does not answer. */
  async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.database.db);
    } catch (error) {
      throw new AppError('DATABASE_UNAVAILABLE', undefined, { cause: error });
    }
  }
}
