/**
 * 导出 CSV / Excel / PDF of a report: `<route>/export` with the page's current filters and the console's language
 * (so the file's headers match the screen), fetched with the session and saved under the name the API gives it
 * (the report's title and period). A refusal shows the API's message instead of a page of JSON in a new tab.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Query } from '../api/client';
import { fetchFile, saveFile } from '../api/files';
import { currentLanguage } from '../i18n';
import { useNotifyError } from './feedback';

const FORMATS = ['csv', 'xlsx', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

export function ExportButtons({ path, query }: { path: string; query: Query }) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState<Format | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    try {
      const { blob, name } = await fetchFile(
        `${path}/export`,
        { ...query, format, lang: currentLanguage() === 'en' ? 'en' : 'zh-CN' },
        `report.${format}`,
      );
      saveFile(blob, name);
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
