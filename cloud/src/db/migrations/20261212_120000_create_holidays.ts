import { type Kysely, sql } from 'kysely';

/**
 * The holiday calendar (节假日) that year-on-year comparisons match days by (modules/holidays): each row is one
 * holiday break — the whole run of days off, adjoining weekend included, as the State Council announces it — or one
 * make-up working day (调休上班, `workday_swap`). Days are venue day numbers (days since 1970-01-01), like every other
 * calendar day the cloud stores. `code` names the holiday across years (`spring_festival` in 2025 and in 2026), so a
 * comparison can set day 3 of one Spring Festival against day 3 of the last; `year` is the holiday's year even when
 * its break starts in December (New Year 2024 began on 2023-12-30). At most one break per holiday and year.
 *
 * China's public holidays for 2024–2027 are seeded here, once: a migration runs once per database, so whatever a
 * venue edits or deletes afterwards stays as they left it. 2024–2026 are the State Council's published
 * arrangements (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号); 2027 is not published yet — the State Council
 * publishes each year's arrangement in November — so its breaks are estimated from the lunar calendar with the usual
 * lengths and no make-up days, marked in their note for the venue to check and correct.
 */

const DAY_MS = 86_400_000;
const day = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

interface Seed {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly year: number;
  readonly first: string;
  readonly last: string;
  /** The make-up working days of this break. */
  readonly swaps?: readonly string[];
  readonly estimated?: true;
}

const NAMES: Readonly<Record<string, readonly [string, string]>> = {
  new_year: ['元旦', 'New Year’s Day'],
  spring_festival: ['春节', 'Spring Festival'],
  qingming: ['清明节', 'Qingming Festival'],
  labour_day: ['劳动节', 'Labour Day'],
  dragon_boat: ['端午节', 'Dragon Boat Festival'],
  mid_autumn: ['中秋节', 'Mid-Autumn Festival'],
  national_day: ['国庆节', 'National Day'],
};

const seed = (
  code: keyof typeof NAMES & string,
  year: number,
  first: string,
  last: string,
  swaps: readonly string[] = [],
): Seed => ({ code, zh: NAMES[code]![0], en: NAMES[code]![1], year, first, last, swaps });

const estimated = (code: string, first: string, last: string): Seed => ({
  ...seed(code, 2027, first, last),
  estimated: true,
});

const SEEDS: readonly Seed[] = [
  seed('new_year', 2024, '2023-12-30', '2024-01-01'),
  seed('spring_festival', 2024, '2024-02-10', '2024-02-17', ['2024-02-04', '2024-02-18']),
  seed('qingming', 2024, '2024-04-04', '2024-04-06', ['2024-04-07']),
  seed('labour_day', 2024, '2024-05-01', '2024-05-05', ['2024-04-28', '2024-05-11']),
  seed('dragon_boat', 2024, '2024-06-08', '2024-06-10'),
  seed('mid_autumn', 2024, '2024-09-15', '2024-09-17', ['2024-09-14']),
  seed('national_day', 2024, '2024-10-01', '2024-10-07', ['2024-09-29', '2024-10-12']),

  seed('new_year', 2025, '2025-01-01', '2025-01-01'),
  seed('spring_festival', 2025, '2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08']),
  seed('qingming', 2025, '2025-04-04', '2025-04-06'),
  seed('labour_day', 2025, '2025-05-01', '2025-05-05', ['2025-04-27']),
  seed('dragon_boat', 2025, '2025-05-31', '2025-06-02'),
  // Mid-Autumn (6 October) fell inside the National Day break: one break of eight days.
  {
    ...seed('national_day', 2025, '2025-10-01', '2025-10-08', ['2025-09-28', '2025-10-11']),
    zh: '国庆节、中秋节',
    en: 'National Day and Mid-Autumn Festival',
  },

  seed('new_year', 2026, '2026-01-01', '2026-01-03', ['2026-01-04']),
  seed('spring_festival', 2026, '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']),
  seed('qingming', 2026, '2026-04-04', '2026-04-06'),
  seed('labour_day', 2026, '2026-05-01', '2026-05-05', ['2026-05-09']),
  seed('dragon_boat', 2026, '2026-06-19', '2026-06-21'),
  seed('mid_autumn', 2026, '2026-09-25', '2026-09-27'),
  seed('national_day', 2026, '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']),

  // Estimated (see above): New Year's Day is a Friday; Spring Festival from New Year's Eve (5 February) to the
  // seventh day, eight days as in 2025; Qingming on Monday 5 April with its weekend; Labour Day 1–5 May; Dragon Boat
  // (Wednesday 9 June) and Mid-Autumn (Wednesday 15 September) the statutory day alone, since how the State Council
  // will join them to a weekend cannot be known; National Day 1–7 October.
  estimated('new_year', '2027-01-01', '2027-01-03'),
  estimated('spring_festival', '2027-02-05', '2027-02-12'),
  estimated('qingming', '2027-04-03', '2027-04-05'),
  estimated('labour_day', '2027-05-01', '2027-05-05'),
  estimated('dragon_boat', '2027-06-09', '2027-06-09'),
  estimated('mid_autumn', '2027-09-15', '2027-09-15'),
  estimated('national_day', '2027-10-01', '2027-10-07'),
];

const ESTIMATED_NOTE =
  '按农历推算的预估日期；国务院每年 11 月公布次年正式安排，请据此核对修改 / Estimated from the lunar calendar: ' +
  'the State Council publishes the official arrangement each November; check and correct it then';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('holidays')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('year', 'integer', (col) => col.notNull())
    .addColumn('first_day', 'integer', (col) => col.notNull())
    .addColumn('last_day', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('holiday', 'workday_swap')`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('holidays_range', sql`first_day <= last_day`)
    .execute();
  await db.schema
    .createIndex('holidays_code_year')
    .unique()
    .on('holidays')
    .columns(['code', 'year'])
    .where(sql.ref('kind'), '=', 'holiday')
    .execute();
  await db.schema.createIndex('holidays_first_day').on('holidays').column('first_day').execute();
  await db.schema.createIndex('holidays_year').on('holidays').column('year').execute();

  const now = Date.now();
  const rows = SEEDS.flatMap((s) => [
    {
      id: `cn-${s.year}-${s.code}`,
      code: s.code,
      name_zh: s.zh,
      name_en: s.en,
      year: s.year,
      first_day: day(s.first),
      last_day: day(s.last),
      kind: 'holiday',
      note: s.estimated ? ESTIMATED_NOTE : null,
      created_at: now,
      updated_at: now,
    },
    ...(s.swaps ?? []).map((swap) => ({
      id: `cn-${s.year}-${s.code}-workday-${swap}`,
      code: s.code,
      name_zh: `${s.zh}调休上班`,
      name_en: `${s.en}: make-up working day`,
      year: s.year,
      first_day: day(swap),
      last_day: day(swap),
      kind: 'workday_swap',
      note: null,
      created_at: now,
      updated_at: now,
    })),
  ]);
  await (db as Kysely<{ holidays: (typeof rows)[number] }>).insertInto('holidays').values(rows).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('holidays').execute();
}
