/**
 * Files from the API (reports' exports, printouts), fetched with the session and handed to the browser as a
 * download: a refusal throws the API's error (code and message) instead of opening a page of JSON in a new tab.
 */
import { currentLanguage } from '../i18n';
import { apiUrl, type Query } from './client';
import { ApiError, networkError } from './errors';

/** The file name of `attachment; filename="…"; filename*=UTF-8''…`, the UTF-8 one when given. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = disposition ? /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] : undefined;
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // A malformed escape: the plain name below.
    }
  }
  return (disposition && /filename="([^"]+)"/i.exec(disposition)?.[1]) || fallback;
}

/** The file's bytes and the name the API gave it (`fallback` when it gave none). */
export async function fetchFile(
  path: string,
  query: Query | undefined,
  fallback: string,
): Promise<{ blob: Blob; name: string }> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN' },
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; messages?: ApiError['messages']; details?: unknown } }
      | undefined;
    const error = body?.error;
    if (error?.code && error.messages)
      throw new ApiError(response.status, error.code, error.messages, error.details);
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      { 'zh-CN': `下载失败（HTTP ${response.status}）`, en: `Download failed (HTTP ${response.status})` },
      undefined,
    );
  }
  const name = fileNameOf(response.headers.get('content-disposition'), fallback);
  return { blob: await response.blob(), name };
}

/** Hands `blob` to the browser as a download named `name`. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
