import { describe, expect, it } from 'vitest';
import { pageChunks } from './page-preload.js';

const chunk = (fileName: string, imports: string[], extra: Record<string, unknown> = {}) => ({
  type: 'chunk' as const,
  fileName,
  imports,
  isEntry: false,
  isDynamicEntry: false,
  facadeModuleId: null,
  modules: {},
  ...extra,
});

describe('pageChunks', () => {
  const bundle = {
    'assets/index.js': chunk('assets/index.js', ['assets/react.js'], {
      isEntry: true,
      facadeModuleId: '/c/index.html',
    }),
    'assets/react.js': chunk('assets/react.js', []),
    'assets/libs.js': chunk('assets/libs.js', ['assets/react.js']),
    'assets/window.js': chunk('assets/window.js', ['assets/libs.js', 'assets/money.js', 'assets/react.js'], {
      isDynamicEntry: true,
      facadeModuleId: '/c/src/pages/window/index.tsx',
    }),
    'assets/money.js': chunk('assets/money.js', []),
    'assets/lookup.js': chunk('assets/lookup.js', ['assets/libs.js'], {
      isDynamicEntry: true,
      facadeModuleId: '/c/src/pages/desk/lookup/index.tsx',
    }),
    // A lazily loaded part of a page is not a page.
    'assets/chart.js': chunk('assets/chart.js', [], {
      isDynamicEntry: true,
      facadeModuleId: '/c/src/pages/dashboard/denials-chart.tsx',
    }),
    'assets/index.css': { type: 'asset' as const },
  };

  it('maps each page folder to its chunks, leaving out what the entry loads already', () => {
    const map = pageChunks(bundle);
    expect(Object.keys(map).sort()).toEqual(['lookup', 'window']);
    expect(map.window?.sort()).toEqual(['/assets/libs.js', '/assets/money.js', '/assets/window.js']);
    expect(map.lookup?.sort()).toEqual(['/assets/libs.js', '/assets/lookup.js']);
  });
});
