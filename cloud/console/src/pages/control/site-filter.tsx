/** The "all sites / one site" filter at the top of a control-room list, named in the console's language. */
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../api/types';
import { localName } from './venues';

export function SiteFilter({
  sites,
  value,
  onChange,
  testId,
}: {
  sites: readonly Site[] | undefined;
  value: string | undefined;
  /** The site picked, undefined when cleared (the page also clears the filters that depend on it). */
  onChange: (siteId: string | undefined) => void;
  testId?: string;
}) {
  const { t } = useTranslation('control');
  return (
    <Select
      aria-label={t('filters.site')}
      placeholder={t('filters.allSites')}
      allowClear
      style={{ width: 170 }}
      value={value}
      onChange={(siteId?: string) => onChange(siteId)}
      options={(sites ?? []).map((site) => ({ value: site.id, label: localName(site.name, site.id) }))}
      data-testid={testId}
    />
  );
}
