/**
 * Bilingual zod validation. zod 4 formats a message when an issue is created, from (in order) the schema's own
 * error, the per-parse `error` map, then the global locale. We parse with a per-parse map for each language so every
 * issue carries a zh-CN and an en message, whatever the global zod config is. The second parse runs only when the
 * first failed, so valid input costs one parse.
 */
import { z } from 'zod';
import { AppError } from './errors.js';
import type { Language, Localized } from './language.js';

/** One problem with one field of the input. */
export interface FieldIssue {
  /** Where in the input, as zod reports it: object keys and array indices. */
  readonly path: readonly (string | number)[];
  /** zod's issue code (`too_big`, `invalid_type`, `custom`, …). */
  readonly code: string;
  readonly messages: Localized;
}

/** The parts of a request that carry input, as Fastify names them. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** How VALIDATION_FAILED names each part ("Request query string failed validation"). */
export const REQUEST_PART_NAMES: Readonly<Record<RequestPart, Localized>> = {
  body: { 'zh-CN': '请求体', en: 'body' },
  querystring: { 'zh-CN': '查询参数', en: 'query string' },
  params: { 'zh-CN': '路径参数', en: 'path parameters' },
  headers: { 'zh-CN': '请求头', en: 'headers' },
};

/**
 * VALIDATION_FAILED for input a service refuses after the schema let it through (a cross-field rule, an opaque
 * cursor), naming the part it came in, just as the schema's own refusals do.
 */
export function invalidInput(part: RequestPart, issues: readonly FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', { part: REQUEST_PART_NAMES[part] }, { issues });
}

export type LocalizedParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly issues: readonly FieldIssue[] };

const localeErrors: Record<Language, z.core.$ZodErrorMap> = {
  'zh-CN': z.locales.zhCN().localeError,
  en: z.locales.en().localeError,
};

/**
 * Options for `.refine()` / `.superRefine()` issues that carry their own bilingual message, e.g.
 * `z.string().refine(isTimeZone, bilingual({ 'zh-CN': '不是有效的时区', en: 'not a valid time zone' }))`.
 */
export function bilingual(messages: Localized): { params: { messages: Localized } } {
  return { params: { messages } };
}

function customMessages(issue: z.core.$ZodRawIssue): Localized | undefined {
  if (issue.code !== 'custom') return undefined;
  const messages = (issue.params as { messages?: Localized } | undefined)?.messages;
  return messages;
}

function errorMapFor(language: Language): z.core.$ZodErrorMap {
  return (issue) => customMessages(issue)?.[language] ?? localeErrors[language](issue);
}

const errorMaps: Record<Language, z.core.$ZodErrorMap> = {
  'zh-CN': errorMapFor('zh-CN'),
  en: errorMapFor('en'),
};

export function parseLocalized<S extends z.ZodType>(
  schema: S,
  input: unknown,
): LocalizedParseResult<z.output<S>> {
  const zh = schema.safeParse(input, { error: errorMaps['zh-CN'] });
  if (zh.success) return { success: true, data: zh.data };
  const en = schema.safeParse(input, { error: errorMaps.en });
  const enIssues = en.success ? [] : en.error.issues;
  const issues = zh.error.issues.map((issue, index) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    code: issue.code,
    messages: { 'zh-CN': issue.message, en: enIssues[index]?.message ?? issue.message },
  }));
  return { success: false, issues };
}

const NUL_MESSAGES: Localized = {
  'zh-CN': '不能包含空字符（U+0000）',
  en: 'must not contain the NUL character (U+0000)',
};

/**
 * The first string (value or object key) holding U+0000, as a field issue. PostgreSQL text cannot store that
 * character at all (the query fails with 22021), and no field has a use for it, so requests carrying one are refused
 * whole, on both engines alike. The walk keeps its own stack: parsed JSON can nest deeper than the call stack.
 */
export function nulCharacterIssue(input: unknown): FieldIssue | undefined {
  interface Step {
    readonly value: unknown;
    readonly key: string | number | undefined;
    readonly parent: Step | undefined;
  }
  const pathOf = (step: Step, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Step[] = [{ value: input, key: undefined, parent: undefined }];
  while (stack.length) {
    const step = stack.pop()!;
    const { value } = step;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return { path: pathOf(step), code: 'invalid_string', messages: NUL_MESSAGES };
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push({ value: item, key: index, parent: step });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000'))
          return { path: pathOf(step, key), code: 'invalid_key', messages: NUL_MESSAGES };
        stack.push({ value: item, key, parent: step });
      }
    }
  }
  return undefined;
}
