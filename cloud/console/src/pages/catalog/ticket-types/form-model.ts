/**
 * The ticket-type editor's model, without React: the form's values (yuan as text, weekdays as a list, times as
 * HH:MM), the conversion to and from the API's definition, the defaults per kind the API documents
 * (ticket-types/schemas.ts `defaultsFor`), where an API field problem goes on the form, and what changed between two
 * versions.
 */

import type { AgeRule, SalesChannel, TicketKind, TicketTypeDefinition } from '../../../api/types';
import { fenToYuanText, parseYuan } from '../../../format/money';
import { CHANNELS } from '../vocabulary';

export interface AgeRuleValues {
  minAge: number;
  maxAge: number | null;
  kind: 'permille' | 'fixed';
  payPermille: number;
  priceYuan: string;
  labelZh: string;
  labelEn: string;
}

export interface EditorValues {
  typeId?: number;
  code?: string;
  active?: boolean;
  name: { zh: string; en: string };
  kind: TicketKind;
  /** Yuan text per channel; empty = the channel does not sell the type. */
  prices: Partial<Record<SalesChannel, string>>;
  validity: {
    from: TicketTypeDefinition['validity']['from'];
    length: TicketTypeDefinition['validity']['length'];
    /** Days from the visit date for the first entry; null = the API's default (365). */
    activateWithinDays: number | null;
    /** YYYY-MM-DD, the latest local date of the first entry; '' = none. */
    activateBy: string;
  };
  entries: number | null;
  persons: { min: number; max: number };
  rules: {
    /** ISO weekdays 1 (Monday) … 7 (Sunday). */
    weekdays: number[];
    hours: { from: string; to: string }[];
    entriesPerDay: number | null;
    antiPassbackSec: number;
    strictAlternation: boolean;
    zones: string[];
    gates: string[];
    slotEarlyMin: number;
    slotLateMin: number;
    exitFree: boolean;
    /** Distinct visit days within the validity (任选 N 天); null = no limit. */
    visitDays: number | null;
    /** Same-day re-entry of a used day ticket. */
    reentry: boolean;
    /** HH:MM cut-off of the re-entry; '' = all day. */
    reentryUntil: string;
    unconfirmedUsesEntry: boolean;
  };
  refund: {
    refundable: boolean;
    hasDeadline: boolean;
    dayOffset: number;
    /** HH:MM; 24:00 = the end of that day. */
    time: string;
    feeKind: 'fixed' | 'permille';
    feeYuan: string;
    feePermille: number;
    proRata: boolean;
  };
  realName: TicketTypeDefinition['realName'];
  perIdDailyLimit: number | null;
  ageDiscounts: { source: TicketTypeDefinition['ageDiscounts']['source']; rules: AgeRuleValues[] };
}

const PASS_LENGTHS: Partial<Record<TicketKind, { unit: 'day' | 'month'; count: number }>> = {
  day_pass: { unit: 'day', count: 1 },
  month_pass: { unit: 'month', count: 1 },
  quarter_pass: { unit: 'month', count: 3 },
  year_pass: { unit: 'month', count: 12 },
};

/** The fixed validity of a pass kind, if it has one (the API refuses any other). */
export function passLength(kind: TicketKind): { unit: 'day' | 'month'; count: number } | undefined {
  return PASS_LENGTHS[kind];
}

export const isPass = (kind: TicketKind) => kind.endsWith('_pass');

/** The API's defaults for a new type of `kind` (everything but name, kind and prices). */
export function defaultsFor(kind: TicketKind): Omit<TicketTypeDefinition, 'name' | 'kind' | 'prices'> {
  return {
    validity:
      kind === 'count'
        ? { from: 'sale', length: { unit: 'month', count: 12 } }
        : {
            from: isPass(kind) ? 'first_use' : 'visit_date',
            length: PASS_LENGTHS[kind] ?? { unit: 'day', count: kind === 'period_pass' ? 30 : 1 },
          },
    entries: kind === 'single' || kind === 'group' ? 1 : kind === 'count' ? 10 : null,
    persons: kind === 'group' ? { min: 10, max: 50 } : { min: 1, max: 1 },
    rules: {
      weekdays: 0x7f,
      hours: [],
      entriesPerDay: null,
      antiPassbackSec: 0,
      strictAlternation: false,
      zones: [],
      gates: [],
      slotEarlyMin: 0,
      slotLateMin: 0,
      exitFree: true,
    },
    refund: {
      refundable: true,
      deadline: { dayOffset: 0, minuteOfDay: 1440 },
      fee: { kind: 'fixed', fen: 0 },
      proRata: kind === 'count',
    },
    realName: 'none',
    perIdDailyLimit: null,
    ageDiscounts: { source: kind === 'group' ? 'none' : 'site' },
  };
}

/** The fields that follow the kind when an operator changes it: what the API's cross-field rules tie to the kind. */
export function kindDependentValues(
  kind: TicketKind,
): Pick<EditorValues, 'validity' | 'entries' | 'persons'> {
  const defaults = defaultsFor(kind);
  return {
    validity: { ...defaults.validity, activateWithinDays: null, activateBy: '' },
    entries: defaults.entries,
    persons: defaults.persons,
  };
}

export function weekdaysOfMask(mask: number): number[] {
  return [1, 2, 3, 4, 5, 6, 7].filter((day) => (mask & (1 << (day - 1))) !== 0);
}

export function maskOfWeekdays(days: readonly number[]): number {
  return days.reduce((mask, day) => mask | (1 << (day - 1)), 0);
}

/** 0–1440 → HH:MM (1440 → 24:00). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** HH:MM (00:00–24:00) → minutes, or undefined. */
export function parseMinute(text: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!match) return undefined;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : undefined;
}

function ageRuleValues(rule: AgeRule): AgeRuleValues {
  return {
    minAge: rule.minAge,
    maxAge: rule.maxAge,
    kind: rule.discount.kind,
    payPermille: rule.discount.kind === 'permille' ? rule.discount.payPermille : 500,
    priceYuan: rule.discount.kind === 'fixed' ? fenToYuanText(rule.discount.priceFen) : '',
    labelZh: rule.label.zh,
    labelEn: rule.label.en,
  };
}

export function toEditorValues(
  definition: Pick<TicketTypeDefinition, 'name' | 'kind' | 'prices'> &
    Omit<TicketTypeDefinition, 'name' | 'kind' | 'prices'>,
): EditorValues {
  const { refund, rules, ageDiscounts } = definition;
  return {
    name: { ...definition.name },
    kind: definition.kind,
    prices: Object.fromEntries(
      CHANNELS.map((channel) => {
        const fen = definition.prices[channel];
        return [channel, fen === undefined ? '' : fenToYuanText(fen)];
      }),
    ),
    validity: {
      from: definition.validity.from,
      length: { ...definition.validity.length },
      activateWithinDays: definition.validity.activateWithinDays ?? null,
      activateBy: definition.validity.activateBy ?? '',
    },
    entries: definition.entries,
    persons: { ...definition.persons },
    rules: {
      weekdays: weekdaysOfMask(rules.weekdays),
      hours: rules.hours.map((window) => ({ from: formatMinute(window.from), to: formatMinute(window.to) })),
      entriesPerDay: rules.entriesPerDay,
      antiPassbackSec: rules.antiPassbackSec,
      strictAlternation: rules.strictAlternation,
      zones: [...rules.zones],
      gates: [...rules.gates],
      slotEarlyMin: rules.slotEarlyMin,
      slotLateMin: rules.slotLateMin,
      exitFree: rules.exitFree,
      visitDays: rules.visitDays ?? null,
      reentry: rules.reentry !== undefined,
      reentryUntil:
        rules.reentry?.until === null || rules.reentry === undefined ? '' : formatMinute(rules.reentry.until),
      unconfirmedUsesEntry: rules.unconfirmedUsesEntry ?? true,
    },
    refund: {
      refundable: refund.refundable,
      hasDeadline: refund.deadline !== null,
      dayOffset: refund.deadline?.dayOffset ?? 0,
      time: formatMinute(refund.deadline?.minuteOfDay ?? 1440),
      feeKind: refund.fee.kind,
      feeYuan: refund.fee.kind === 'fixed' ? fenToYuanText(refund.fee.fen) : '0.00',
      feePermille: refund.fee.kind === 'permille' ? refund.fee.permille : 0,
      proRata: refund.proRata,
    },
    realName: definition.realName,
    perIdDailyLimit: definition.perIdDailyLimit,
    ageDiscounts: {
      source: ageDiscounts.source,
      rules: ageDiscounts.source === 'custom' ? ageDiscounts.rules.map(ageRuleValues) : [],
    },
  };
}

/** A new type's starting values. */
export function newTypeValues(kind: TicketKind = 'single'): EditorValues {
  return {
    ...toEditorValues({ name: { zh: '', en: '' }, kind, prices: {}, ...defaultsFor(kind) }),
    active: true,
  };
}

/**
 * The definition the form describes. Expects values the form's own rules accepted; a yuan text that does not parse
 * (which those rules refuse) becomes NaN so the API refuses it too rather than a price silently vanishing.
 */
export function toDefinition(values: EditorValues): TicketTypeDefinition {
  const prices: TicketTypeDefinition['prices'] = {};
  for (const channel of CHANNELS) {
    const text = values.prices[channel]?.trim() ?? '';
    if (text !== '') prices[channel] = parseYuan(text) ?? Number.NaN;
  }
  const { refund, rules, ageDiscounts } = values;
  return {
    name: { zh: values.name.zh.trim(), en: values.name.en.trim() },
    kind: values.kind,
    validity: validityOf(values.validity),
    entries: values.entries,
    persons: { ...values.persons },
    prices,
    rules: {
      weekdays: maskOfWeekdays(rules.weekdays),
      hours: rules.hours.map((window) => ({
        from: parseMinute(window.from) ?? Number.NaN,
        to: parseMinute(window.to) ?? Number.NaN,
      })),
      entriesPerDay: rules.entriesPerDay,
      antiPassbackSec: rules.antiPassbackSec,
      strictAlternation: rules.strictAlternation,
      zones: [...rules.zones],
      gates: [...rules.gates],
      slotEarlyMin: rules.slotEarlyMin,
      slotLateMin: rules.slotLateMin,
      exitFree: rules.exitFree,
      // Optional rules are sent only when set, as the API stores them (an unchanged type stays unchanged).
      ...(rules.visitDays !== null && rules.visitDays !== undefined && { visitDays: rules.visitDays }),
      ...(rules.reentry && {
        reentry: {
          until: rules.reentryUntil.trim() === '' ? null : (parseMinute(rules.reentryUntil) ?? Number.NaN),
        },
      }),
      ...(rules.unconfirmedUsesEntry === false && { unconfirmedUsesEntry: false }),
    },
    refund: {
      refundable: refund.refundable,
      deadline: refund.hasDeadline
        ? { dayOffset: refund.dayOffset, minuteOfDay: parseMinute(refund.time) ?? Number.NaN }
        : null,
      fee:
        refund.feeKind === 'fixed'
          ? { kind: 'fixed', fen: parseYuan(refund.feeYuan) ?? Number.NaN }
          : { kind: 'permille', permille: refund.feePermille },
      proRata: refund.proRata,
    },
    realName: values.realName,
    perIdDailyLimit: values.perIdDailyLimit,
    ageDiscounts:
      ageDiscounts.source === 'custom'
        ? {
            source: 'custom',
            rules: ageDiscounts.rules.map((rule) => ({
              minAge: rule.minAge,
              maxAge: rule.maxAge,
              discount:
                rule.kind === 'permille'
                  ? { kind: 'permille', payPermille: rule.payPermille }
                  : { kind: 'fixed', priceFen: parseYuan(rule.priceYuan) ?? Number.NaN },
              label: { zh: rule.labelZh.trim(), en: rule.labelEn.trim() },
            })),
          }
        : { source: ageDiscounts.source },
  };
}

function validityOf(validity: EditorValues['validity']): TicketTypeDefinition['validity'] {
  const activateBy = validity.activateBy?.trim() ?? '';
  return {
    from: validity.from,
    length: { ...validity.length },
    ...(validity.activateWithinDays !== null &&
      validity.activateWithinDays !== undefined && { activateWithinDays: validity.activateWithinDays }),
    ...(activateBy !== '' && { activateBy }),
  };
}

/**
 * Where an API field problem (its path in the request body) shows on the form, or undefined when no field holds it
 * (the editor then lists it above the buttons). Cross-field refusals name a whole object; they go on the field an
 * operator changes to fix them.
 */
export function formPathOf(path: readonly (string | number)[]): (string | number)[] | undefined {
  const [head, ...rest] = path;
  switch (head) {
    case 'typeId':
    case 'code':
    case 'kind':
    case 'entries':
    case 'realName':
    case 'perIdDailyLimit':
      return [head];
    case 'name':
      return rest[0] === 'zh' || rest[0] === 'en' ? ['name', rest[0]] : ['name', 'zh'];
    case 'prices':
      return (CHANNELS as readonly unknown[]).includes(rest[0]) ? ['prices', rest[0]!] : ['prices', 'window'];
    case 'validity':
      if (rest[0] === 'activateBy' || rest[0] === 'activateWithinDays') return ['validity', rest[0]];
      return rest[0] === 'from' ? ['validity', 'from'] : ['validity', 'length', 'count'];
    case 'persons':
      return rest[0] === 'min' ? ['persons', 'min'] : ['persons', 'max'];
    case 'rules':
      if (rest[0] === 'reentry') return ['rules', rest[1] === 'until' ? 'reentryUntil' : 'reentry'];
      if (rest[0] === 'hours' && typeof rest[1] === 'number')
        return ['rules', 'hours', rest[1], rest[2] === 'from' ? 'from' : 'to'];
      return typeof rest[0] === 'string' && rest[0] !== 'hours' ? ['rules', rest[0]] : undefined;
    case 'refund': {
      if (rest[0] === 'deadline')
        return rest[1] === 'dayOffset' ? ['refund', 'dayOffset'] : ['refund', 'time'];
      if (rest[0] === 'fee')
        return rest[1] === 'permille' ? ['refund', 'feePermille'] : ['refund', 'feeYuan'];
      return ['refund', rest[0] === 'refundable' ? 'refundable' : 'proRata'];
    }
    case 'ageDiscounts': {
      const index = rest[1];
      if (rest[0] === 'rules' && typeof index === 'number') {
        const field = rest.slice(2);
        if (field[0] === 'minAge' || field[0] === 'maxAge') return ['ageDiscounts', 'rules', index, field[0]];
        if (field[0] === 'discount')
          return ['ageDiscounts', 'rules', index, field[1] === 'priceFen' ? 'priceYuan' : 'payPermille'];
        if (field[0] === 'label')
          return ['ageDiscounts', 'rules', index, field[1] === 'en' ? 'labelEn' : 'labelZh'];
        return ['ageDiscounts', 'rules', index, 'minAge'];
      }
      return ['ageDiscounts', 'source'];
    }
    default:
      return undefined;
  }
}

/** One difference between two versions: the path of a leaf (arrays compared whole) and its two values. */
export interface Change {
  readonly path: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

function leaves(value: unknown, path: string[], out: Map<string, { path: string[]; value: unknown }>) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], out);
    return;
  }
  out.set(path.join('.'), { path, value });
}

/**
 * What changed from `before` to `after`, field by field in a stable order. A price added or removed on a channel
 * appears with `undefined` on the side where the channel did not sell; a discriminated object that changed its kind
 * (refund fee, age discounts) shows each leaf that differs.
 */
export function diffDefinitions(before: TicketTypeDefinition, after: TicketTypeDefinition): Change[] {
  const a = new Map<string, { path: string[]; value: unknown }>();
  const b = new Map<string, { path: string[]; value: unknown }>();
  leaves(pick(before), [], a);
  leaves(pick(after), [], b);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const order = (key: string) => {
    const index = FIELD_ORDER.indexOf(key.split('.')[0] as (typeof FIELD_ORDER)[number]);
    return index === -1 ? FIELD_ORDER.length : index;
  };
  keys.sort((x, y) => order(x) - order(y) || x.localeCompare(y));
  const changes: Change[] = [];
  for (const key of keys) {
    const left = a.get(key);
    const right = b.get(key);
    if (JSON.stringify(left?.value) === JSON.stringify(right?.value)) continue;
    changes.push({ path: (left ?? right)!.path, before: left?.value, after: right?.value });
  }
  return changes;
}

const FIELD_ORDER = [
  'name',
  'kind',
  'prices',
  'validity',
  'entries',
  'persons',
  'rules',
  'refund',
  'realName',
  'perIdDailyLimit',
  'ageDiscounts',
] as const;

/** Only the definition's own fields (a version also carries typeId, version, createdAt). */
function pick(definition: TicketTypeDefinition): Record<string, unknown> {
  const picked: Record<string, unknown> = Object.fromEntries(
    FIELD_ORDER.map((key) => [key, definition[key]]),
  );
  // An unconfirmed passage uses an entry unless the type says otherwise: stated or left out, the same rule (the
  // form sends it only when it is off).
  if (definition.rules.unconfirmedUsesEntry === true) {
    const { unconfirmedUsesEntry: _same, ...rules } = definition.rules;
    picked.rules = rules;
  }
  return picked;
}
