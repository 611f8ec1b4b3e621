/**
 * A definition read back to people: each field's label and its value in words (¥ for fen, weekday names, HH:MM),
 * shared by the version view and the list of changes between versions.
 */
import { Alert, Descriptions, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AgeRule, TicketTypeDefinition } from '../../../api/types';
import { formatFen } from '../../../format/money';
import { currentLanguage } from '../../../i18n';
import { catalog } from '../../../i18n/areas/catalog';
import { CHANNELS } from '../vocabulary';
import { formatMinute, weekdaysOfMask } from './form-model';
import { entryRulesPreview } from './preview';

type T = TFunction<'catalog'>;
type FieldKey = keyof (typeof catalog)['zh-CN']['fields'];

/** The label of a field path, falling back to its nearest labelled parent. */
export function fieldLabel(path: readonly string[], t: T): string {
  if (path[0] === 'prices' && path[1])
    return `${t('fields.prices')} · ${t(`channels.${path[1] as 'window'}`)}`;
  for (let length = path.length; length > 0; length--) {
    const key = path.slice(0, length).join('_');
    if (key in catalog['zh-CN'].fields) return t(`fields.${key as FieldKey}`);
  }
  return path.join('.');
}

function ageRuleText(rule: AgeRule, t: T): string {
  const ages = rule.maxAge === null ? `${rule.minAge}+` : `${rule.minAge}–${rule.maxAge}`;
  const discount =
    rule.discount.kind === 'permille' ? `${rule.discount.payPermille}‰` : formatFen(rule.discount.priceFen);
  return `${ages} · ${t(`editor.discountKinds.${rule.discount.kind}`)} ${discount} · ${rule.label.zh} / ${rule.label.en}`;
}

/** A field's value in words; `undefined` is "not set" (a price: not sold on that channel). */
export function formatField(path: readonly string[], value: unknown, t: T): string {
  const key = path.join('.');
  if (key === 'rules.unconfirmedUsesEntry') return value === false ? t('no') : t('yes');
  // Left out, activation has no latest date and the API's default wait of 365 days from the visit date.
  if (key === 'validity.activateBy' && value === undefined) return t('none');
  if (key === 'validity.activateWithinDays' && value === undefined) return '365';
  if (key === 'rules.visitDays') return value === undefined ? t('unlimited') : String(value);
  if (key === 'rules.reentry' || key === 'rules.reentry.until') {
    if (value === undefined) return t('no');
    const until =
      key === 'rules.reentry' ? (value as { until: number | null }).until : (value as number | null);
    return until === null
      ? t('editor.reentryAllDay')
      : t('editor.reentryUntilValue', { time: formatMinute(until) });
  }
  if (value === undefined) return path[0] === 'prices' ? t('notSold') : '—';
  if (path[0] === 'prices') return formatFen(value as number);
  switch (key) {
    case 'kind':
      return t(`kinds.${value as 'single'}`);
    case 'validity.from':
      return t(`editor.validityFromOptions.${value as 'sale'}`);
    case 'validity.length.unit':
      return t(`editor.units.${value as 'day'}`);
    case 'entries':
    case 'rules.entriesPerDay':
    case 'perIdDailyLimit':
      return value === null ? t('unlimited') : String(value);
    case 'rules.weekdays': {
      const days = weekdaysOfMask(value as number);
      return days.length === 7 ? t('all') : days.map((day) => t(`weekdays.d${day as 1}`)).join(' ');
    }
    case 'rules.hours': {
      const hours = value as { from: number; to: number }[];
      return hours.length === 0
        ? t('unlimited')
        : hours.map((w) => `${formatMinute(w.from)}–${formatMinute(w.to)}`).join(', ');
    }
    case 'rules.zones':
    case 'rules.gates': {
      const ids = value as string[];
      return ids.length === 0 ? t('all') : ids.join(', ');
    }
    case 'refund.deadline':
      return value === null ? t('none') : String(value);
    case 'refund.deadline.minuteOfDay':
      return formatMinute(value as number);
    case 'refund.fee.kind':
      return t(`editor.feeKinds.${value as 'fixed'}`);
    case 'refund.fee.fen':
      return formatFen(value as number);
    case 'refund.fee.permille':
      return `${value}‰`;
    case 'realName':
      return t(`editor.realNames.${value as 'none'}`);
    case 'ageDiscounts.source':
      return t(`editor.ageSources.${value as 'site'}`);
    case 'ageDiscounts.rules':
      return (value as AgeRule[]).map((rule) => ageRuleText(rule, t)).join('；');
    default:
      if (typeof value === 'boolean') return value ? t('yes') : t('no');
      if (value === null) return t('none');
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Every field of one version, grouped as the editor groups them. */
export function DefinitionView({ definition }: { definition: TicketTypeDefinition }) {
  const { t } = useTranslation('catalog');
  const item = (path: string[]) => {
    let value: unknown = definition;
    for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
    return { key: path.join('.'), label: fieldLabel(path, t), children: formatField(path, value, t) };
  };
  const refund = definition.refund;
  const sections: { title: string; items: ReturnType<typeof item>[] }[] = [
    {
      title: t('editor.sections.basic'),
      items: [item(['name', 'zh']), item(['name', 'en']), item(['kind'])],
    },
    { title: t('editor.sections.prices'), items: CHANNELS.map((channel) => item(['prices', channel])) },
    {
      title: t('editor.sections.validity'),
      items: [
        item(['validity', 'from']),
        {
          key: 'validity.length',
          label: t('fields.validity_length_count'),
          children: `${definition.validity.length.count} ${t(`editor.units.${definition.validity.length.unit}`)}`,
        },
        ...(definition.validity.from === 'first_use'
          ? [item(['validity', 'activateBy']), item(['validity', 'activateWithinDays'])]
          : []),
        item(['entries']),
        {
          key: 'persons',
          label: t('fields.persons'),
          children: `${definition.persons.min}–${definition.persons.max}`,
        },
      ],
    },
    {
      title: t('editor.sections.entry'),
      items: (['visitDays', 'entriesPerDay', 'reentry', 'unconfirmedUsesEntry'] as const).map((field) =>
        item(['rules', field]),
      ),
    },
    {
      title: t('editor.sections.gate'),
      items: (
        [
          'weekdays',
          'hours',
          'antiPassbackSec',
          'strictAlternation',
          'exitFree',
          'zones',
          'gates',
          'slotEarlyMin',
          'slotLateMin',
        ] as const
      ).map((field) => item(['rules', field])),
    },
    {
      title: t('editor.sections.refund'),
      items: [
        item(['refund', 'refundable']),
        {
          key: 'refund.deadline',
          label: t('fields.refund_deadline'),
          children:
            refund.deadline === null
              ? t('none')
              : `${refund.deadline.dayOffset} · ${formatMinute(refund.deadline.minuteOfDay)}`,
        },
        {
          key: 'refund.fee',
          label: t('editor.feeKind'),
          children: refund.fee.kind === 'fixed' ? formatFen(refund.fee.fen) : `${refund.fee.permille}‰`,
        },
        item(['refund', 'proRata']),
      ],
    },
    {
      title: t('editor.sections.realName'),
      items: [item(['realName']), item(['perIdDailyLimit'])],
    },
    {
      title: t('editor.sections.age'),
      items: [
        item(['ageDiscounts', 'source']),
        ...(definition.ageDiscounts.source === 'custom' ? [item(['ageDiscounts', 'rules'])] : []),
      ],
    },
  ];
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t('editor.preview')}
        description={entryRulesPreview(definition, currentLanguage())}
      />
      {sections.map((section) => (
        <div key={section.title} style={{ marginBottom: 12 }}>
          <Typography.Title level={5}>{section.title}</Typography.Title>
          <Descriptions size="small" bordered column={2} items={section.items} />
        </div>
      ))}
    </>
  );
}
