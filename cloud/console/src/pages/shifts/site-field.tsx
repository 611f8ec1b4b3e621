/**
 * A site chosen from the list (venues.read) or typed as its id: finance reads settlements without venues.read, so
 * there the field is a plain input.
 */
import { Input, Select } from 'antd';
import { nameOf } from '../desk/labels';
import { useCanReadVenues, useSites } from '../desk/sites';

export function SiteField({
  value,
  onChange,
  allowClear,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  allowClear?: boolean;
}) {
  const canRead = useCanReadVenues();
  const sites = useSites();
  if (!canRead)
    return (
      <Input
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        style={{ width: 140 }}
        allowClear={allowClear}
        data-testid="site-field"
      />
    );
  return (
    <Select
      value={value}
      onChange={onChange}
      allowClear={allowClear}
      style={{ width: 160 }}
      loading={sites.isPending}
      options={(sites.data?.sites ?? []).map((site) => ({ value: site.id, label: nameOf(site.name) }))}
      data-testid="site-field"
    />
  );
}
