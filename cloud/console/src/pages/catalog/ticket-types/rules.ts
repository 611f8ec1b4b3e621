/**
 * The editor's field rules, mirroring the API's schema (ticket-types/schemas.ts and protocol's ticketTypeRulesSchema):
 * the same limits and the same cross-field rules, so the form refuses as the operator types what the API would
 * refuse on save.
 */
import type { FormInstance, FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { parseYuan } from '../../../format/money';
import { MAX_FEN } from '../vocabulary';
import { type EditorValues, isPass, parseMinute, passLength } from './form-model';

type T = TFunction<'catalog'>;
type Get = FormInstance<EditorValues>['getFieldValue'];

const ok = () => Promise.resolve();
const fail = (message: string) => Promise.reject(new Error(message));

export function editorRules(t: T) {
  const unit = (u: 'day' | 'month') => t(`editor.units.${u}`);
  const required = (field: string): FormRule => ({
    required: true,
    whitespace: true,
    message: t('editor.errors.required', { field }),
  });
  const maxLength = (max: number): FormRule => ({
    validator: (_, value: string | undefined) =>
      (value ?? '').trim().length > max ? fail(t('editor.errors.maxLength', { max })) : ok(),
  });
  const integer = (min: number, max: number, isRequired = true): FormRule[] => [
    ...(isRequired ? [{ required: true, message: t('editor.errors.range', { min, max }) }] : []),
    { type: 'integer', min, max, message: t('editor.errors.range', { min, max }) },
  ];
  const yuan = (isRequired: boolean, field = ''): FormRule[] => [
    ...(isRequired ? [required(field)] : []),
    {
      validator: (_, value: string | undefined) => {
        const text = (value ?? '').trim();
        if (text === '') return ok();
        const fen = parseYuan(text);
        if (fen === undefined) return fail(t('editor.errors.yuan'));
        return fen > MAX_FEN ? fail(t('editor.errors.yuanMax')) : ok();
      },
    },
  ];
  const time: FormRule[] = [
    { required: true, message: t('editor.errors.time') },
    {
      validator: (_, value: string | undefined) =>
        parseMinute(value ?? '') === undefined ? fail(t('editor.errors.time')) : ok(),
    },
  ];
  return {
    typeId: integer(1, 65_535),
    code: [
      required(t('editor.code')),
      { max: 64, message: t('editor.errors.maxLength', { max: 64 }) },
      { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, message: t('editor.errors.code') },
    ] satisfies FormRule[],
    nameZh: [required(t('editor.nameZh')), maxLength(32)],
    nameEn: [required(t('editor.nameEn')), maxLength(48)],
    yuan,
    /** The window price also carries "at least one channel" (the API puts that problem on `prices`). */
    firstPrice: (get: Get, channels: readonly string[]): FormRule[] => [
      ...yuan(false),
      {
        validator: () =>
          channels.some((channel) => String(get(['prices', channel as 'window']) ?? '').trim() !== '')
            ? ok()
            : fail(t('editor.errors.onePrice')),
      },
    ],
    validityCount: (get: Get): FormRule[] => [
      ...integer(1, 3660),
      {
        validator: (_, count: number | null) => {
          const kind = get('kind');
          const fixed = passLength(kind);
          const chosen = get(['validity', 'length', 'unit']);
          if (fixed && (fixed.unit !== chosen || fixed.count !== count))
            return fail(t('editor.errors.passLength', { count: fixed.count, unit: unit(fixed.unit) }));
          if (kind === 'period_pass' && chosen !== 'day') return fail(t('editor.errors.periodDays'));
          return ok();
        },
      },
    ],
    entries: (get: Get): FormRule[] => [
      { type: 'integer', min: 1, max: 10_000, message: t('editor.errors.range', { min: 1, max: 10_000 }) },
      {
        validator: (_, entries: number | null) => {
          const kind = get('kind');
          if ((kind === 'single' || kind === 'group') && entries !== 1)
            return fail(t('editor.errors.singleEntry'));
          if (kind === 'count' && (entries === null || entries === undefined || entries < 2))
            return fail(t('editor.errors.countEntries'));
          if (isPass(kind) && entries !== null && entries !== undefined)
            return fail(t('editor.errors.passEntries'));
          return ok();
        },
      },
    ],
    personsMin: integer(1, 999),
    personsMax: (get: Get): FormRule[] => [
      ...integer(1, 999),
      {
        validator: (_, max: number | null) => {
          const min = get(['persons', 'min']);
          if (get('kind') !== 'group' && (min !== 1 || max !== 1))
            return fail(t('editor.errors.personsOnlyGroup'));
          if (typeof min === 'number' && typeof max === 'number' && min > max)
            return fail(t('editor.errors.personsOrder'));
          return ok();
        },
      },
    ],
    weekdays: [
      {
        validator: (_, days: number[] | undefined) =>
          (days ?? []).length === 0 ? fail(t('editor.errors.weekdays')) : ok(),
      },
    ] satisfies FormRule[],
    time,
    hoursTo: (get: Get, index: number): FormRule[] => [
      ...time,
      {
        validator: (_, to: string | undefined) => {
          const from = parseMinute(get(['rules', 'hours', index, 'from']) ?? '');
          const end = parseMinute(to ?? '');
          return from !== undefined && end !== undefined && from >= end
            ? fail(t('editor.errors.hoursOrder'))
            : ok();
        },
      },
    ],
    entriesPerDay: integer(1, 1000, false),
    /** Activation limits only exist for a validity counted from the first entry. */
    activateWithinDays: (get: Get): FormRule[] => [
      ...integer(1, 366, false),
      {
        validator: (_, days: number | null | undefined) =>
          days !== null && days !== undefined && get(['validity', 'from']) !== 'first_use'
            ? fail(t('editor.errors.activationFirstUse'))
            : ok(),
      },
    ],
    activateBy: (get: Get): FormRule[] => [
      {
        validator: (_, value: string | undefined) => {
          const text = (value ?? '').trim();
          if (text === '') return ok();
          if (!isIsoDate(text)) return fail(t('editor.errors.date'));
          return get(['validity', 'from']) !== 'first_use'
            ? fail(t('editor.errors.activationFirstUse'))
            : ok();
        },
      },
    ],
    /** The API's: at most 3660, and no more days than the validity can hold (a month counted as 31 days). */
    visitDays: (get: Get): FormRule[] => [
      ...integer(1, 3660, false),
      {
        validator: (_, days: number | null | undefined) => {
          const length = get(['validity', 'length']) as { unit: 'day' | 'month'; count: number } | undefined;
          if (typeof days !== 'number' || !length || typeof length.count !== 'number') return ok();
          const longest = length.unit === 'day' ? length.count : length.count * 31;
          return days > longest ? fail(t('editor.errors.visitDaysFit', { days: longest })) : ok();
        },
      },
    ],
    reentry: (get: Get): FormRule[] => [
      {
        validator: (_, on: boolean | undefined) =>
          on && get('kind') !== 'single' ? fail(t('editor.errors.reentrySingle')) : ok(),
      },
    ],
    /** Empty = all day; else HH:MM from 00:01 to 24:00 (the API's 1–1440 minutes). */
    reentryUntil: [
      {
        validator: (_, value: string | undefined) => {
          const text = (value ?? '').trim();
          if (text === '') return ok();
          const minute = parseMinute(text);
          return minute === undefined || minute < 1 ? fail(t('editor.errors.reentryUntil')) : ok();
        },
      },
    ] satisfies FormRule[],
    antiPassback: integer(0, 7 * 86_400),
    slotTolerance: integer(0, 1440),
    dayOffset: integer(-365, 365),
    permille: integer(0, 1000),
    proRata: (get: Get): FormRule[] => [
      {
        validator: (_, proRata: boolean) =>
          proRata && get('kind') !== 'count' ? fail(t('editor.errors.proRataCount')) : ok(),
      },
    ],
    perIdDailyLimit: (get: Get): FormRule[] => [
      ...integer(1, 100, false),
      {
        validator: (_, limit: number | null) =>
          limit !== null && limit !== undefined && get('realName') === 'none'
            ? fail(t('editor.errors.limitNeedsRealName'))
            : ok(),
      },
    ],
    ageSource: (get: Get): FormRule[] => [
      {
        validator: (_, source: string) =>
          get('kind') === 'group' && source !== 'none' ? fail(t('editor.errors.groupNoAge')) : ok(),
      },
    ],
    minAge: (get: Get, index: number): FormRule[] => [
      ...integer(0, 150),
      {
        validator: (_, minAge: number | null) => {
          const rules = (get(['ageDiscounts', 'rules']) ?? []) as EditorValues['ageDiscounts']['rules'];
          const self = rules[index];
          if (!self || typeof minAge !== 'number') return ok();
          const end = (max: number | null) =>
            max === null || max === undefined ? Number.POSITIVE_INFINITY : max;
          const overlaps = rules.some(
            (other, i) => i !== index && minAge < end(other.maxAge) && other.minAge < end(self.maxAge),
          );
          return overlaps ? fail(t('editor.errors.ageOverlap')) : ok();
        },
      },
    ],
    maxAge: (get: Get, index: number): FormRule[] => [
      ...integer(1, 150, false),
      {
        validator: (_, maxAge: number | null) => {
          const minAge = get(['ageDiscounts', 'rules', index, 'minAge']);
          return typeof maxAge === 'number' && typeof minAge === 'number' && minAge >= maxAge
            ? fail(t('editor.errors.ageOrder'))
            : ok();
        },
      },
    ],
    labelZh: [required(t('editor.labelZh')), maxLength(32)],
    labelEn: [required(t('editor.labelEn')), maxLength(48)],
  };
}

export type EditorRules = ReturnType<typeof editorRules>;

/** A real calendar date written YYYY-MM-DD (2027-02-30 is not). */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
