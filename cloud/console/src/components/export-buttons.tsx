/**
 * 导出 CSV / Excel / PDF of a report: `<route>/export` with the page's current filters and the console's language
 * (so the file's headers match the screen), fetched with the session and saved under the name the API gives it
 * (the report's title and period). A refusal shows the API's message instead of a page of JSON in a new tab.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl, type Query } from '../api/client';
import { ApiError, networkError } from '../api/errors';
import { currentLanguage } from '../i18n';
import { useNotifyError } from './feedback';

const FORMATS = ['csv', 'xlsx', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

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

async function fetchExport(path: string, query: Query): Promise<{ blob: Blob; name: string }> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), { credentials: 'same-origin' });
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
      { 'zh-CN': `导出失败（HTTP ${response.status}）`, en: `Export failed (HTTP ${response.status})` },
      undefined,
    );
  }
  const name = fileNameOf(response.headers.get('content-disposition'), `report.${query.format}`);
  return { blob: await response.blob(), name };
}

export function ExportButtons({ path, query }: { path: string; query: Query }) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState<Format | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    try {
      const { blob, name } = await fetchExport(`${path}/export`, {
        ...query,
        format,
        lang: currentLanguage() === 'en' ? 'en' : 'zh-CN',
      });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
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
  return (
    <Tooltip title={t('export.hint')}>
      <Space.Compact>
        {FORMATS.map((format) => (
          <Button
            key={format}
            icon={<DownloadOutlined />}
            loading={busy === format}
            disabled={busy !== null && busy !== format}
            onClick={() => void run(format)}
            data-testid={`export-${format}`}
          >
            {t(`export.${format}`)}
          </Button>
        ))}
      </Space.Compact>
    </Tooltip>
  );
}
