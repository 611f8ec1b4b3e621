/**
 * Printouts (PDF tickets and receipts, ESC/POS bytes) fetched with the session and handed to the browser as a file:
 * a failure shows the API's message and code instead of a page of JSON in a new tab.
 */
import { useState } from 'react';
import type { Query } from '../../api/client';
import { fetchFile, saveFile } from '../../api/files';
import { useNotifyError } from '../../components/feedback';

/** `download(path, filename)` saves the API's file; `busy` names the one being fetched. */
export function useDownload() {
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (path: string, filename: string, query?: Query) => {
    setBusy(filename);
    try {
      const { blob } = await fetchFile(path, query, filename);
      saveFile(blob, filename);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  return { download, busy };
}
