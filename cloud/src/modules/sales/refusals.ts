/** The sales module's own VALIDATION_FAILED refusals: cross-field checks the request schema cannot make. */
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';

const BODY: Localized = { 'zh-CN': '请求体', en: 'body' };

export function invalidBody(path: (string | number)[], zh: string, en: string): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    { part: BODY },
    { issues: [{ path, code: 'custom', messages: { 'zh-CN': zh, en } }] },
  );
}
