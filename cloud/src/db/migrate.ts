import { type Migration, Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import { migrations as allMigrations } from './migrations/index.js';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      migration
        ? `migration ${migration} failed: ${String((cause as Error)?.message ?? cause)}`
        : `migrations could not run: ${String((cause as Error)?.message ?? cause)}`,
      { cause },
    );
  }
}

/**
 * Applies the pending migrations, all in one transaction on both engines: if one fails, none of this run's
 * changes remain and the error names the migration. Concurrent starts against one PostgreSQL are serialised by
 * Kysely's advisory lock. Returns the names applied.
 */
export async function migrateToLatest(
  database: DatabaseHandle,
  migrations: Readonly<Record<string, Migration>> = allMigrations,
): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    // Kysely looks for its bookkeeping tables in every schema unless told which; name ours so a database shared
    // by several schemas (tests run one per file) never sees another schema's history.
    migrationTableSchema: database.dialect === 'postgres' ? await currentSchema(database) : undefined,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results.find((r) => r.status === 'Error')?.migrationName, error);
  return results.map((r) => r.migrationName);
}

async function currentSchema(database: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    database.db,
  );
  const schema = rows[0]?.schema;
  if (!schema)
    throw new MigrationError(undefined, new Error('PostgreSQL search_path names no existing schema'));
  return schema;
}
