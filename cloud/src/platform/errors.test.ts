import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ERROR_CATALOGUE, ERROR_CODES, errorResponseSchema } from './errors.js';
import { parseLocalized } from './validation.js';

describe('error catalogue', () => {
  it('gives every code a client-error or server-error status and a message in both languages', () => {
    for (const code of ERROR_CODES) {
      const { status, messages } = ERROR_CATALOGUE[code];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(messages['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(messages.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const code of ERROR_CODES) {
      const { messages } = ERROR_CATALOGUE[code];
      expect(names(messages['zh-CN']), code).toEqual(names(messages.en));
    }
  });
});

describe('AppError', () => {
  it('fills placeholders, translating localized params', () => {
    const error = new AppError('NOT_FOUND', { resource: { 'zh-CN': '景区', en: 'Site' }, id: 'xihu' });
    expect(error.status).toBe(404);
    expect(error.statusCode).toBe(404);
    expect(error.messages).toEqual({ 'zh-CN': '景区不存在：xihu', en: 'Site not found: xihu' });
    expect(error.message).toBe('Site not found: xihu');
  });

  it('renders the response body in the requested language, with both messages', () => {
    const error = new AppError('CONFLICT', { reason: 'sold out' }, { details: { remaining: 0 } });
    expect(error.toBody('en')).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Conflict: sold out',
        messages: { 'zh-CN': '操作冲突：sold out', en: 'Conflict: sold out' },
        details: { remaining: 0 },
      },
    });
    expect(error.toBody('zh-CN').error.message).toBe('操作冲突：sold out');
    expect(errorResponseSchema.safeParse(error.toBody('zh-CN')).success).toBe(true);
  });

  it('renders zod issues as details with zh-CN and en field messages', () => {
    const parsed = parseLocalized(z.object({ name: z.string().min(2), count: z.number().int() }), {
      name: 'x',
    });
    if (parsed.success) throw new Error('expected failure');
    const error = new AppError('VALIDATION_FAILED', { part: 'body' }, { issues: parsed.issues });
    const { details } = error.toBody('en').error;
    expect(details).toEqual([
      {
        path: ['name'],
        code: 'too_small',
        message: 'Too small: expected string to have >=2 characters',
        messages: {
          'zh-CN': '数值过小：期望 string >=2 字符',
          en: 'Too small: expected string to have >=2 characters',
        },
      },
      {
        path: ['count'],
        code: 'invalid_type',
        message: 'Invalid input: expected number, received undefined',
        messages: {
          'zh-CN': '无效输入：期望 数字，实际接收 undefined',
          en: 'Invalid input: expected number, received undefined',
        },
      },
    ]);
    expect((error.toBody('zh-CN').error.details as { message: string }[])[1]?.message).toBe(
      '无效输入：期望 数字，实际接收 undefined',
    );
  });

  it('keeps the cause for the log but out of the body', () => {
    const cause = new Error('SELECT * FROM secrets failed');
    const error = new AppError('INTERNAL', undefined, { cause });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error.toBody('en'))).not.toContain('secrets');
  });

  it('types params per code', () => {
    // @ts-expect-error NOT_FOUND needs its resource and id
    new AppError('NOT_FOUND');
    // @ts-expect-error FORBIDDEN takes no params
    new AppError('FORBIDDEN', { reason: 'x' });
    expect(new AppError('FORBIDDEN').code).toBe('FORBIDDEN');
  });
});
