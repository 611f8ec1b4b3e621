/**
 * The form fields of sites, zones, windows and gates, shared by the setup wizard and the Sites and gates page. Field
 * names mirror the API's body (`name.zh`), so a VALIDATION_FAILED lands on the right field; the rules mirror the
 * schemas (cloud/src/modules/venues/schemas.ts).
 */
import { Form, Input, InputNumber, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Zone } from '../../../api/types';
import { DEFAULT_ZONE } from '../../../format/time';
import { currentLanguage } from '../../../i18n';

export const VENUE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const MAX_CAPACITY = 10_000_000;

export function useVenueRules() {
  const { t } = useTranslation('admin');
  return useMemo(
    () => ({
      id: [
        { required: true, message: t('form.required') },
        { max: 64, message: t('form.max', { max: 64 }) },
        { pattern: VENUE_ID, message: t('form.idPattern') },
      ] satisfies Rule[],
      name: (max: number): Rule[] => [
        { required: true, whitespace: true, message: t('form.required') },
        { max, message: t('form.max', { max }) },
      ],
    }),
    [t],
  );
}

/** A name in both languages: `name.zh` (at most zhMax) and `name.en` (at most enMax). */
export function NameFields({ zhMax = 64, enMax = 128 }: { zhMax?: number; enMax?: number }) {
  const { t } = useTranslation('admin');
  const rules = useVenueRules();
  return (
    <>
      <Form.Item label={t('form.nameZh')} name={['name', 'zh']} rules={rules.name(zhMax)}>
        <Input maxLength={zhMax} />
      </Form.Item>
      <Form.Item label={t('form.nameEn')} name={['name', 'en']} rules={rules.name(enMax)}>
        <Input maxLength={enMax} />
      </Form.Item>
    </>
  );
}

export function IdField({ label, help, disabled }: { label: string; help?: string; disabled?: boolean }) {
  const rules = useVenueRules();
  return (
    <Form.Item label={label} name="id" rules={rules.id} extra={help}>
      <Input maxLength={64} disabled={disabled} autoComplete="off" />
    </Form.Item>
  );
}

/** A head count; empty means "no limit" (null in the API). */
export function CapacityField({
  name,
  label,
  help,
  min,
}: {
  name: string;
  label: string;
  help: string;
  min: number;
}) {
  const { t } = useTranslation('admin');
  return (
    <Form.Item
      label={label}
      name={name}
      extra={help}
      rules={[
        { type: 'integer', min, max: MAX_CAPACITY, message: t('form.range', { min, max: MAX_CAPACITY }) },
      ]}
    >
      <InputNumber
        min={min}
        max={MAX_CAPACITY}
        precision={0}
        placeholder={t('form.unlimited')}
        style={{ width: 200 }}
      />
    </Form.Item>
  );
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [DEFAULT_ZONE];
  }
}

export function TimeZoneField() {
  const { t } = useTranslation('admin');
  const options = useMemo(() => timeZones().map((zone) => ({ value: zone, label: zone })), []);
  return (
    <Form.Item
      label={t('site.timezone')}
      name="timezone"
      extra={t('site.timezoneHelp')}
      rules={[{ required: true, message: t('form.required') }]}
    >
      <Select showSearch options={options} style={{ width: 280 }} />
    </Form.Item>
  );
}

/** Site fields: id (fixed once created), names, time zone, daily cap and the in-park capacity (occupancy API). */
export function SiteFields({ existing, inPark }: { existing: boolean; inPark: boolean }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <IdField label={t('site.id')} help={t('site.idHelp')} disabled={existing} />
      <NameFields />
      <TimeZoneField />
      <CapacityField
        name="dailyCapacity"
        label={t('site.dailyCapacity')}
        help={t('site.dailyCapacityHelp')}
        min={0}
      />
      {inPark ? (
        <CapacityField
          name="inParkCapacity"
          label={t('site.inParkCapacity')}
          help={t('site.inParkCapacityHelp')}
          min={1}
        />
      ) : null}
    </>
  );
}

export function ZoneFields({ existing }: { existing: boolean }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <IdField label={t('zone.id')} help={t('zone.idHelp')} disabled={existing} />
      <NameFields />
      <CapacityField name="capacity" label={t('zone.capacity')} help={t('zone.capacityHelp')} min={0} />
    </>
  );
}

export function WindowFields({ existing }: { existing: boolean }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <IdField label={t('window.id')} help={t('window.idHelp')} disabled={existing} />
      <NameFields />
    </>
  );
}

export const GATE_DIRECTIONS = ['in', 'out', 'both'] as const;
export const GATE_KINDS = ['tripod', 'flap', 'swing'] as const;

export function GateFields({ existing, zones }: { existing: boolean; zones: readonly Zone[] }) {
  const { t } = useTranslation('admin');
  const language = currentLanguage();
  return (
    <>
      <IdField label={t('gate.id')} help={t('gate.idHelp')} disabled={existing} />
      <Form.Item
        label={t('gate.zone')}
        name="zoneId"
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select
          options={zones.map((zone) => ({
            value: zone.id,
            label: `${language === 'en' ? zone.name.en : zone.name.zh} (${zone.id})`,
          }))}
          style={{ width: 280 }}
        />
      </Form.Item>
      <Form.Item
        label={t('gate.direction')}
        name="direction"
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select
          options={GATE_DIRECTIONS.map((value) => ({ value, label: t(`gate.directions.${value}`) }))}
          style={{ width: 200 }}
        />
      </Form.Item>
      <Form.Item label={t('gate.kind')} name="kind" rules={[{ required: true, message: t('form.required') }]}>
        <Select
          options={GATE_KINDS.map((value) => ({ value, label: t(`gate.kinds.${value}`) }))}
          style={{ width: 200 }}
        />
      </Form.Item>
      <NameFields />
    </>
  );
}

/** A venue's name in the console's language. */
export function venueName(name: { zh: string; en: string }): string {
  return currentLanguage() === 'en' ? name.en : name.zh;
}
