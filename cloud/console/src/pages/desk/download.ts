/**
 * Printouts (PDF tickets and receipts, ESC/POS bytes) fetched with the session and handed to the browser as a file:
 * a failure shows the API's message and code instead of a page of JSON in a new tab.
 */
import { useState } from 'react';
import { apiUrl, type Query } from '../../api/client';
import { ApiError, networkError } from '../../api/errors';
import { useNotifyError } from '../../components/feedback';
import { currentLanguage } from '../../i18n';

async function fetchFile(path: string, query?: Query): Promise<Blob> {
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
  return response.blob();
}

/** `download(path, filename)` saves the API's file; `busy` names the one being fetched. */
export function useDownload() {
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (path: string, filename: string, query?: Query) => {
    setBusy(filename);
    try {
      const blob = await fetchFile(path, query);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  return { download, busy };
}
