/** The sales module's own VALIDATION_FAILED refusals: checks the request schema cannot make. */
import type { AppError } from '../../platform/errors.js';
import { invalidInput, type RequestPart } from '../../platform/validation.js';

/** A refusal of one field of the body (cross-field rules). */
export function invalidBody(path: (string | number)[], zh: string, en: string): AppError {
  return invalidField('body', path, zh, en);
}

/** A refusal of one field of the `part` the request carried it in. */
export function invalidField(part: RequestPart, path: (string | number)[], zh: string, en: string): AppError {
  return invalidInput(part, [{ path, code: 'custom', messages: { 'zh-CN': zh, en } }]);
}
