/**
 * The two languages the cloud speaks. zh-CN is the venue staff's language and the default; en is chosen only when
 * the client prefers it.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** A text in every language we serve. */
export type Localized = Readonly<Record<Language, string>>;

/**
 * Picks the response language from an Accept-Language header: the supported language with the highest q-value
 * (earlier entries win ties); anything we don't speak, a wildcard or a missing header gives zh-CN.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  let best: Language = DEFAULT_LANGUAGE;
  let bestQuality = 0;
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const language = languageOfRange(range.trim());
    if (!language) continue;
    const quality = qualityOf(params);
    if (quality > bestQuality) {
      best = language;
      bestQuality = quality;
    }
  }
  return best;
}

function languageOfRange(range: string): Language | undefined {
  if (range === 'zh' || range.startsWith('zh-')) return 'zh-CN';
  if (range === 'en' || range.startsWith('en-')) return 'en';
  return undefined;
}

function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    const [key, value] = param.split('=').map((s) => s.trim());
    if (key === 'q' && value !== undefined) {
      const quality = Number(value);
      return Number.isFinite(quality) ? Math.min(Math.max(quality, 0), 1) : 0;
    }
  }
  return 1;
}
