/**
 * The cloud's one error shape (README "API errors"): a stable code and the message in both languages, with
 * per-field problems in `details`. Every failed call becomes an ApiError; the console never shows a raw response.
 */
import type { Language } from '../i18n/language';

export interface Localized {
  readonly 'zh-CN': string;
  readonly en: string;
}

export interface FieldProblem {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly messages: Localized;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Localized,
    readonly details: unknown,
  ) {
    super(messages.en);
  }

  messageIn(language: Language): string {
    return this.messages[language];
  }

  /** Per-field problems when the cloud sent them (VALIDATION_FAILED and the like). */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (item): item is FieldProblem =>
        typeof item === 'object' &&
        item !== null &&
        Array.isArray(item.path) &&
        typeof item.messages === 'object',
    );
  }
}

/** No answer at all (network down, cloud stopped): shown as its own message, never as an empty page. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

export function networkError(): ApiError {
  return new ApiError(
    0,
    NETWORK_ERROR,
    {
      'zh-CN': '无法连接服务器，请检查网络后重试',
      en: 'Cannot reach the server; check the network and try again',
    },
    undefined,
  );
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(
    0,
    'CONSOLE_ERROR',
    {
      'zh-CN': `页面出错：${String(error)}`,
      en: `The page failed: ${String(error)}`,
    },
    undefined,
  );
}
