/**
 * The console's only way to the API: same-origin fetch with the session cookie, the chosen language, JSON in and
 * out, and every failure turned into an ApiError. A 401 on any call but sign-in tells the session layer that the
 * session ended, so the operator returns to sign-in and then to the page they were on.
 */
import { currentLanguage } from '../i18n';
import { ApiError, networkError } from './errors';
import { apiUrl, type Query } from './url';

export { apiUrl, type Query };

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** A 401 here says nothing about a session: reads started at boot, before anyone knows who is signed in. */
  readonly beforeSession?: boolean;
}

type SessionEndedListener = () => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN',
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = toApiError(response.status, parsed);
    // /auth/login answers 401 for a wrong password and /auth/me for "nobody signed in": neither ends a session.
    if (
      response.status === 401 &&
      !options.beforeSession &&
      !path.endsWith('/auth/login') &&
      !path.endsWith('/auth/me')
    ) {
      for (const listener of sessionEndedListeners) listener();
    }
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  /** A read started before the session is known (shell/boot.ts): its 401 does not end a session. */
  preload: <T>(path: string, query?: Query) =>
    request<T>('GET', path, { ...(query ? { query } : {}), beforeSession: true }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, ...(headers ? { headers } : {}) }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; messages?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string' && typeof error.messages === 'object' && error.messages) {
    return new ApiError(status, error.code, error.messages as ApiError['messages'], error.details);
  }
  return new ApiError(
    status,
    `HTTP_${status}`,
    {
      'zh-CN': `服务器返回了意外的应答（HTTP ${status}）`,
      en: `The server answered unexpectedly (HTTP ${status})`,
    },
    undefined,
  );
}
