import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';

interface HolidayView {
  id: string;
  code: string;
  name: { 'zh-CN': string; en: string };
  year: number;
  firstDay: string;
  lastDay: string;
  days: number;
  kind: 'holiday' | 'workday_swap';
  note: string | null;
}

describe.each(databaseBackends())('holiday calendar on $name', (backend) => {
  let env: AuthTestApp;

  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    role: SeedRole = 'admin',
  ) => env.app.inject({ method, url, headers: env.as(role), ...(payload && { payload }) });

  const list = async (year?: number, role: SeedRole = 'finance') => {
    const response = await api('GET', `/api/v1/holidays${year ? `?year=${year}` : ''}`, undefined, role);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().holidays as HolidayView[];
  };

  const audit = async (action: string) =>
    env.test.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'actor_username', 'before_json', 'after_json'])
      .where('action', '=', action)
      .execute();

  beforeAll(async () => {
    env = await createAuthTestApp(backend);
  });
  afterAll(() => env.dispose());

  it('comes with China’s public holidays for 2024–2027, make-up working days included', async () => {
    const y2026 = await list(2026);
    const breaks = y2026.filter((h) => h.kind === 'holiday');
    expect(breaks.map((h) => [h.code, h.firstDay, h.lastDay, h.days])).toEqual([
      ['new_year', '2026-01-01', '2026-01-03', 3],
      ['spring_festival', '2026-02-15', '2026-02-23', 9],
      ['qingming', '2026-04-04', '2026-04-06', 3],
      ['labour_day', '2026-05-01', '2026-05-05', 5],
      ['dragon_boat', '2026-06-19', '2026-06-21', 3],
      ['mid_autumn', '2026-09-25', '2026-09-27', 3],
      ['national_day', '2026-10-01', '2026-10-07', 7],
    ]);
    expect(breaks[1]).toMatchObject({
      id: 'cn-2026-spring_festival',
      name: { 'zh-CN': '春节', en: 'Spring Festival' },
    });
    expect(y2026.filter((h) => h.kind === 'workday_swap').map((h) => h.firstDay)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(y2026.find((h) => h.firstDay === '2026-02-14')?.name['zh-CN']).toBe('春节调休上班');

    const y2025 = await list(2025);
    expect(y2025.find((h) => h.code === 'national_day' && h.kind === 'holiday')).toMatchObject({
      name: { 'zh-CN': '国庆节、中秋节' },
      firstDay: '2025-10-01',
      lastDay: '2025-10-08',
    });
    expect(y2025.find((h) => h.code === 'mid_autumn')).toBeUndefined();
    // New Year 2024 began in December 2023 and is 2024's.
    expect((await list(2024)).find((h) => h.code === 'new_year')).toMatchObject({ firstDay: '2023-12-30' });
    const y2027 = await list(2027);
    expect(y2027.filter((h) => h.kind === 'holiday')).toHaveLength(7);
    expect(y2027.every((h) => h.note?.includes('国务院'))).toBe(true);
    expect(y2027.find((h) => h.code === 'spring_festival')).toMatchObject({
      firstDay: '2027-02-05',
      days: 8,
    });
    expect(y2026.every((h) => h.note === null)).toBe(true);
    // Every year at once, by first day.
    const all = await list(undefined, 'control_room');
    expect(all.length).toBe(breaks.length + 6 + y2025.length + y2027.length + (await list(2024)).length);
    expect(all.map((h) => h.firstDay)).toEqual([...all.map((h) => h.firstDay)].sort());
  });

  it('adds a venue’s own holiday, audited, and refuses what would clash', async () => {
    const created = await api('POST', '/api/v1/holidays', {
      code: 'lantern_festival',
      name: { 'zh-CN': '元宵灯会', en: 'Lantern Fair' },
      year: 2026,
      firstDay: '2026-03-03',
      lastDay: '2026-03-05',
    });
    expect(created.statusCode, created.body).toBe(201);
    const holiday = created.json() as HolidayView;
    expect(holiday).toMatchObject({ code: 'lantern_festival', days: 3, kind: 'holiday', note: null });
    expect((await list(2026)).map((h) => h.id)).toContain(holiday.id);
    const [entry] = await audit('holiday.create');
    expect(entry).toMatchObject({ entity_id: holiday.id, actor_username: 'test_admin' });
    expect(JSON.parse(entry!.after_json!)).toMatchObject({
      code: 'lantern_festival',
      firstDay: '2026-03-03',
    });

    const again = await api('POST', '/api/v1/holidays', {
      code: 'lantern_festival',
      name: { 'zh-CN': '元宵灯会', en: 'Lantern Fair' },
      year: 2026,
      firstDay: '2026-03-20',
      lastDay: '2026-03-20',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HOLIDAY_TAKEN');

    const overlap = await api('POST', '/api/v1/holidays', {
      code: 'temple_fair',
      name: { 'zh-CN': '庙会', en: 'Temple fair' },
      year: 2026,
      firstDay: '2026-02-23',
      lastDay: '2026-02-25',
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error).toMatchObject({
      code: 'HOLIDAY_OVERLAP',
      message: '日期与已有的 春节（2026-02-15–2026-02-23） 重叠',
    });
    // A make-up working day inside a break clashes too.
    const swap = await api('POST', '/api/v1/holidays', {
      code: 'spring_festival',
      name: { 'zh-CN': '春节调休上班', en: 'Spring Festival: make-up working day' },
      year: 2026,
      firstDay: '2026-02-16',
      lastDay: '2026-02-16',
      kind: 'workday_swap',
    });
    expect(swap.json().error.code).toBe('HOLIDAY_OVERLAP');

    for (const [body, reason] of [
      [{ firstDay: '2026-03-10', lastDay: '2026-03-09' }, 'the first day is after the last day'],
      [{ firstDay: '2026-03-10', lastDay: '2026-06-09' }, 'at most 60 days, not 92'],
      [{ firstDay: '2028-03-10', lastDay: '2028-03-10' }, 'the dates are not in 2026'],
    ] as const) {
      const refused = await env.app.inject({
        method: 'POST',
        url: '/api/v1/holidays',
        headers: { ...env.as('admin'), 'accept-language': 'en' },
        payload: { code: 'fair', name: { 'zh-CN': '集市', en: 'Fair' }, year: 2026, ...body },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'HOLIDAY_PERIOD_INVALID',
        message: `Invalid holiday dates: ${reason}`,
      });
    }
    for (const payload of [
      {
        code: 'Fair',
        name: { 'zh-CN': '集市', en: 'Fair' },
        year: 2026,
        firstDay: '2026-03-10',
        lastDay: '2026-03-10',
      },
      {
        code: 'fair',
        name: { 'zh-CN': '', en: 'Fair' },
        year: 2026,
        firstDay: '2026-03-10',
        lastDay: '2026-03-10',
      },
      {
        code: 'fair',
        name: { 'zh-CN': '集市', en: 'Fair' },
        year: 2026,
        firstDay: '2026-02-30',
        lastDay: '2026-03-10',
      },
      {
        code: 'fair',
        name: { 'zh-CN': '集市', en: 'Fair' },
        year: 2026,
        firstDay: '2026-03-10',
        lastDay: '2026-03-10',
        x: 1,
      },
      {
        code: 'fair',
        name: { 'zh-CN': '集市', en: 'Fair' },
        year: 2026,
        firstDay: '2026-03-10',
        lastDay: '2026-03-10',
        kind: 'closed',
      },
    ]) {
      const refused = await api('POST', '/api/v1/holidays', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await audit('holiday.create')).toHaveLength(1);
  });

  it('corrects an estimated break to the official dates, audited, and the comparisons follow', async () => {
    const before = await api(
      'GET',
      '/api/v1/holidays/bases?from=2027-02-12&to=2027-02-12&basis=same_holiday_day',
    );
    expect(before.json().days[0]).toMatchObject({ match: 'same_holiday_day', holiday: { dayOfHoliday: 8 } });
    const changed = await api('PATCH', '/api/v1/holidays/cn-2027-spring_festival', {
      firstDay: '2027-02-06',
      lastDay: '2027-02-14',
      note: null,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      firstDay: '2027-02-06',
      lastDay: '2027-02-14',
      days: 9,
      note: null,
    });
    const [entry] = await audit('holiday.update');
    expect(JSON.parse(entry!.before_json!)).toMatchObject({ firstDay: '2027-02-05' });
    expect(JSON.parse(entry!.after_json!)).toMatchObject({ firstDay: '2027-02-06' });
    const after = await api(
      'GET',
      '/api/v1/holidays/bases?from=2027-02-12&to=2027-02-12&basis=same_holiday_day',
    );
    expect(after.json().days[0]).toMatchObject({
      date: '2027-02-12',
      baseDate: '2026-02-21',
      match: 'same_holiday_day',
      holiday: { code: 'spring_festival', dayOfHoliday: 7 },
      baseHolidayId: 'cn-2026-spring_festival',
    });
    // A change that would clash is refused and changes nothing.
    const clash = await api('PATCH', '/api/v1/holidays/cn-2027-spring_festival', { lastDay: '2027-04-04' });
    expect(clash.json().error.code).toBe('HOLIDAY_OVERLAP');
    const tooLong = await api('PATCH', '/api/v1/holidays/cn-2027-spring_festival', { lastDay: '2027-12-04' });
    expect(tooLong.json().error.code).toBe('HOLIDAY_PERIOD_INVALID');
    const taken = await api('PATCH', '/api/v1/holidays/cn-2027-spring_festival', { code: 'qingming' });
    expect(taken.json().error.code).toBe('HOLIDAY_TAKEN');
    expect((await api('PATCH', '/api/v1/holidays/cn-2027-spring_festival', {})).statusCode).toBe(400);
    expect((await list(2027)).find((h) => h.id === 'cn-2027-spring_festival')?.firstDay).toBe('2027-02-06');
    const missing = await api('PATCH', '/api/v1/holidays/nope', { note: 'x' });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes a holiday, audited; a second delete finds nothing', async () => {
    const gone = await api('DELETE', '/api/v1/holidays/cn-2027-dragon_boat');
    expect(gone.statusCode).toBe(204);
    expect((await list(2027)).some((h) => h.id === 'cn-2027-dragon_boat')).toBe(false);
    expect(await audit('holiday.delete')).toHaveLength(1);
    const again = await api('DELETE', '/api/v1/holidays/cn-2027-dragon_boat');
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('NOT_FOUND');
  });

  it('the comparison bases: holiday days, fallbacks and the 环比 periods', async () => {
    const response = await api(
      'GET',
      '/api/v1/holidays/bases?from=2026-02-13&to=2026-02-24&basis=same_holiday_day',
      undefined,
      'finance',
    );
    expect(response.statusCode, response.body).toBe(200);
    const { days, previous } = response.json();
    expect(days).toHaveLength(12);
    expect(days[0]).toMatchObject({
      date: '2026-02-13',
      match: 'weekday_fallback',
      fallback: 'not_a_holiday',
    });
    expect(days[4]).toMatchObject({
      date: '2026-02-17',
      baseDate: '2025-01-30',
      match: 'same_holiday_day',
      holiday: { id: 'cn-2026-spring_festival', dayOfHoliday: 3 },
    });
    expect(days[10]).toMatchObject({
      date: '2026-02-23',
      match: 'weekday_fallback',
      fallback: 'beyond_base_holiday',
    });
    expect(previous).toEqual({
      previous_days: { from: '2026-02-01', to: '2026-02-12' },
      previous_month: { from: '2026-01-13', to: '2026-01-24' },
      previous_holiday: null,
    });
    const inBreak = await api('GET', '/api/v1/holidays/bases?from=2026-10-01&to=2026-10-07&basis=same_date');
    expect(inBreak.json().previous.previous_holiday).toEqual({
      from: '2026-09-25',
      to: '2026-09-27',
      holidayId: 'cn-2026-mid_autumn',
    });
    expect(inBreak.json().days[0]).toMatchObject({ baseDate: '2025-10-01', match: 'same_date' });
    for (const query of [
      'from=2026-02-13&to=2026-02-12',
      'from=2026-01-01&to=2027-01-02',
      'from=2026-02-13&to=2026-02-14&basis=lunar',
      'from=2026-02-30&to=2026-03-01',
    ]) {
      const refused = await api('GET', `/api/v1/holidays/bases?${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('finance and the control room read the calendar; only an administrator changes it; a cashier sees none', async () => {
    expect((await api('GET', '/api/v1/holidays', undefined, 'control_room')).statusCode).toBe(200);
    expect((await api('GET', '/api/v1/holidays', undefined, 'cashier')).statusCode).toBe(403);
    const payload = {
      code: 'fair',
      name: { 'zh-CN': '集市', en: 'Fair' },
      year: 2026,
      firstDay: '2026-11-10',
      lastDay: '2026-11-10',
    };
    for (const role of ['finance', 'control_room', 'cashier'] as const) {
      const refused = await api('POST', '/api/v1/holidays', payload, role);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('parallel additions of one holiday, or of overlapping ones, leave exactly one', async () => {
    const body = (i: number, code: string) => ({
      code,
      name: { 'zh-CN': `活动${i}`, en: `Event ${i}` },
      year: 2026,
      firstDay: `2026-11-${String(11 + i).padStart(2, '0')}`,
      lastDay: `2026-11-${String(11 + i).padStart(2, '0')}`,
    });
    const same = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api('POST', '/api/v1/holidays', body(i, 'race_one'))),
    );
    expect(same.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(same.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual(
      Array(7).fill('HOLIDAY_TAKEN'),
    );
    const overlapping = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('POST', '/api/v1/holidays', {
          ...body(0, `race_overlap_${i}`),
          firstDay: '2026-12-01',
          lastDay: '2026-12-03',
        }),
      ),
    );
    expect(overlapping.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const december = (await list(2026)).filter((h) => h.firstDay === '2026-12-01');
    expect(december).toHaveLength(1);
    expect((await list(2026)).filter((h) => h.code === 'race_one')).toHaveLength(1);
  });

  it('the seeded calendar is written once: migrating again keeps a venue’s edits and deletions', async () => {
    await api('PATCH', '/api/v1/holidays/cn-2024-qingming', {
      name: { 'zh-CN': '清明', en: 'Tomb-sweeping' },
    });
    await api('DELETE', '/api/v1/holidays/cn-2024-dragon_boat');
    expect(await migrateToLatest(env.test.database)).toEqual([]);
    const y2024 = await list(2024);
    expect(y2024.find((h) => h.id === 'cn-2024-qingming')?.name).toEqual({
      'zh-CN': '清明',
      en: 'Tomb-sweeping',
    });
    expect(y2024.some((h) => h.id === 'cn-2024-dragon_boat')).toBe(false);
  });
});
