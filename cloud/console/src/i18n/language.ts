/**
 * The console's language: Chinese unless the operator switched to English on this terminal. Staff terminals are
 * shared, so the browser's language is not followed (a cashier's PC set to English still opens in Chinese).
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'console.language';

export function savedLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

export function saveLanguage(language: Language): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
}
