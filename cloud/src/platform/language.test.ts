import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from './language.js';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR,fr;q=0.9', 'zh-CN'],
    ['fr, en;q=0.5', 'en'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['en;q=0.8, zh;q=0.8', 'en'],
    ['en;q=0, fr', 'zh-CN'],
    ['*', 'zh-CN'],
    ['EN-gb', 'en'],
    ['en;q=abc', 'zh-CN'],
  ] as const)('%s → %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});
