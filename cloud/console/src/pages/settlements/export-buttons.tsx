/**
 * CSV, XLSX and PDF of a report route's `/export` (platform/exports on the server), fetched with the session and
 * saved as a file named in the console's language; a refusal shows the API's message.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { useDownload } from '../desk/download';

const FORMATS = [
  { format: 'csv', label: 'settlement.exportCsv' },
  { format: 'xlsx', label: 'settlement.exportXlsx' },
  { format: 'pdf', label: 'settlement.exportPdf' },
] as const;

/** `path` is the report's export route (…/export); `name` the file name without extension. */
export function ExportButtons({ path, name }: { path: string; name: string }) {
  const { t } = useTranslation('shifts');
  const { download, busy } = useDownload();
  return (
    <Space wrap data-testid="export-buttons">
      {FORMATS.map(({ format, label }) => (
        <Button
          key={format}
          icon={<DownloadOutlined />}
          loading={busy === `${name}.${format}`}
          onClick={() => void download(path, `${name}.${format}`, { format, lang: currentLanguage() })}
          data-testid={`export-${format}`}
        >
          {t(label)}
        </Button>
      ))}
    </Space>
  );
}
