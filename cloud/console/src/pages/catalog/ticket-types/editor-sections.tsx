/**
 * The editor's fields, one section per part of a definition: basics, prices, validity and entries, gate rules,
 * refunds, real name and limits, age discounts. Every input is labelled and carries the rules of rules.ts.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Switch,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Gate, Zone } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { currentLanguage } from '../../../i18n';
import { CHANNELS, KINDS } from '../vocabulary';
import { ActivationFields } from './entry-section';
import { type EditorValues, isPass, passLength } from './form-model';
import type { EditorRules } from './rules';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} style={{ marginBottom: 8 }}>
      <Typography.Title level={5} style={{ marginTop: 8 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

export function BasicsSection({ rules, creating }: { rules: EditorRules; creating: boolean }) {
  const { t } = useTranslation('catalog');
  return (
    <Section title={t('editor.sections.basic')}>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item
            name="typeId"
            label={t('editor.typeId')}
            extra={creating ? t('editor.typeIdHelp') : undefined}
            rules={creating ? rules.typeId : []}
          >
            <InputNumber style={{ width: '100%' }} disabled={!creating} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="code"
            label={t('editor.code')}
            extra={creating ? t('editor.codeHelp') : undefined}
            rules={creating ? rules.code : []}
          >
            <Input disabled={!creating} maxLength={64} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="kind" label={t('editor.kind')} extra={t('editor.kindHelp')}>
            <Select options={KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name={['name', 'zh']}
            label={t('editor.nameZh')}
            extra={t('editor.nameZhHelp')}
            rules={rules.nameZh}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={['name', 'en']} label={t('editor.nameEn')} rules={rules.nameEn}>
            <Input />
          </Form.Item>
        </Col>
        {creating ? (
          <Col span={24}>
            <Form.Item name="active" label={t('editor.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        ) : null}
      </Row>
    </Section>
  );
}

export function PricesSection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  return (
    <Section title={t('editor.sections.prices')}>
      <Typography.Paragraph type="secondary">{t('editor.priceHelp')}</Typography.Paragraph>
      <Row gutter={16}>
        {CHANNELS.map((channel, index) => (
          <Col span={8} key={channel}>
            <Form.Item
              name={['prices', channel]}
              label={t(`channels.${channel}`)}
              rules={index === 0 ? rules.firstPrice(form.getFieldValue, CHANNELS) : rules.yuan(false)}
              dependencies={index === 0 ? CHANNELS.slice(1).map((other) => ['prices', other]) : []}
            >
              <Input prefix="¥" inputMode="decimal" placeholder={t('notSold')} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </Section>
  );
}

export function ValiditySection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const kind = Form.useWatch('kind', form) ?? 'single';
  const fixed = passLength(kind);
  return (
    <Section title={t('editor.sections.validity')}>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name={['validity', 'from']} label={t('editor.validityFrom')}>
            <Select
              options={(['visit_date', 'sale', 'first_use'] as const).map((from) => ({
                value: from,
                label: t(`editor.validityFromOptions.${from}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name={['validity', 'length', 'count']}
            label={t('editor.validityCount')}
            rules={rules.validityCount(form.getFieldValue)}
            dependencies={['kind', ['validity', 'length', 'unit']]}
            extra={
              fixed
                ? t('editor.fixedLength', { count: fixed.count, unit: t(`editor.units.${fixed.unit}`) })
                : undefined
            }
          >
            <InputNumber style={{ width: '100%' }} disabled={Boolean(fixed)} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name={['validity', 'length', 'unit']} label={t('editor.validityUnit')}>
            <Select
              disabled={Boolean(fixed) || kind === 'period_pass'}
              options={(['day', 'month'] as const).map((unit) => ({
                value: unit,
                label: t(`editor.units.${unit}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="entries"
            label={t('editor.entries')}
            rules={rules.entries(form.getFieldValue)}
            dependencies={['kind']}
            extra={isPass(kind) ? t('editor.entriesUnlimited') : undefined}
          >
            <InputNumber
              style={{ width: '100%' }}
              disabled={kind !== 'count'}
              placeholder={isPass(kind) ? t('unlimited') : undefined}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name={['persons', 'min']} label={t('editor.personsMin')} rules={rules.personsMin}>
            <InputNumber style={{ width: '100%' }} disabled={kind !== 'group'} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name={['persons', 'max']}
            label={t('editor.personsMax')}
            rules={rules.personsMax(form.getFieldValue)}
            dependencies={['kind', ['persons', 'min']]}
          >
            <InputNumber style={{ width: '100%' }} disabled={kind !== 'group'} />
          </Form.Item>
        </Col>
        <ActivationFields rules={rules} form={form} />
      </Row>
    </Section>
  );
}

/** Zones or gates of the site to choose from (venues.read); without it the ids are typed. */
function usePlaces(siteId: string) {
  const me = useMe().data ?? undefined;
  const enabled = allows(me, 'venues.read');
  const zones = useQuery({
    queryKey: ['zones', 'list', siteId],
    queryFn: () => api.get<{ zones: Zone[] }>(`/sites/${encodeURIComponent(siteId)}/zones`, { limit: 500 }),
    enabled,
  });
  const gates = useQuery({
    queryKey: ['gates', 'list', siteId],
    queryFn: () => api.get<{ gates: Gate[] }>(`/sites/${encodeURIComponent(siteId)}/gates`, { limit: 500 }),
    enabled,
  });
  const english = currentLanguage() === 'en';
  return {
    listed: enabled,
    zones: (zones.data?.zones ?? []).map((zone) => ({
      value: zone.id,
      label: `${english ? zone.name.en : zone.name.zh}（${zone.id}）`,
    })),
    gates: (gates.data?.gates ?? []).map((gate) => ({ value: gate.id, label: gate.id })),
  };
}

export function GateSection({
  rules,
  form,
  siteId,
}: {
  rules: EditorRules;
  form: FormInstance<EditorValues>;
  siteId: string;
}) {
  const { t } = useTranslation('catalog');
  const places = usePlaces(siteId);
  const placeMode = places.listed ? 'multiple' : 'tags';
  return (
    <Section title={t('editor.sections.gate')}>
      <Form.Item name={['rules', 'weekdays']} label={t('editor.weekdays')} rules={rules.weekdays}>
        <Checkbox.Group
          options={[1, 2, 3, 4, 5, 6, 7].map((day) => ({
            value: day,
            label: t(`weekdays.d${day as 1 | 2 | 3 | 4 | 5 | 6 | 7}`),
          }))}
        />
      </Form.Item>
      <Form.Item label={t('editor.hours')} extra={t('editor.hoursHelp')} style={{ marginBottom: 8 }}>
        <Form.List name={['rules', 'hours']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col span={6}>
                    <Form.Item name={[field.name, 'from']} rules={rules.time}>
                      <Input
                        placeholder="08:00"
                        aria-label={`${t('editor.hours')} ${index + 1} ${t('editor.from')}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={6}>
                    <Form.Item
                      name={[field.name, 'to']}
                      rules={rules.hoursTo(form.getFieldValue, field.name)}
                      dependencies={[['rules', 'hours', field.name, 'from']]}
                    >
                      <Input
                        placeholder="17:00"
                        aria-label={`${t('editor.hours')} ${index + 1} ${t('editor.to')}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('editor.removeHours', { index: index + 1 })}
                      onClick={() => remove(field.name)}
                    />
                  </Col>
                </Row>
              ))}
              <Button
                icon={<PlusOutlined />}
                disabled={fields.length >= 8}
                onClick={() => add({ from: '08:00', to: '17:00' })}
              >
                {t('editor.addHours')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name={['rules', 'antiPassbackSec']}
            label={t('editor.antiPassback')}
            extra={t('editor.antiPassbackHelp')}
            rules={rules.antiPassback}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name={['rules', 'slotEarlyMin']}
            label={t('editor.slotEarly')}
            rules={rules.slotTolerance}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name={['rules', 'slotLateMin']} label={t('editor.slotLate')} rules={rules.slotTolerance}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={['rules', 'strictAlternation']} valuePropName="checked">
            <Checkbox>{t('editor.strictAlternation')}</Checkbox>
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={['rules', 'exitFree']} valuePropName="checked">
            <Checkbox>{t('editor.exitFree')}</Checkbox>
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={['rules', 'zones']} label={t('editor.zones')} extra={t('editor.placesHelp')}>
            <Select mode={placeMode} options={places.zones} maxCount={64} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={['rules', 'gates']} label={t('editor.gates')} extra={t('editor.placesHelp')}>
            <Select mode={placeMode} options={places.gates} maxCount={256} />
          </Form.Item>
        </Col>
      </Row>
    </Section>
  );
}

export function RefundSection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const kind = Form.useWatch('kind', form) ?? 'single';
  const refundable = Form.useWatch(['refund', 'refundable'], form) ?? true;
  const hasDeadline = Form.useWatch(['refund', 'hasDeadline'], form) ?? true;
  const feeKind = Form.useWatch(['refund', 'feeKind'], form) ?? 'fixed';
  return (
    <Section title={t('editor.sections.refund')}>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name={['refund', 'refundable']} label={t('editor.refundable')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name={['refund', 'hasDeadline']} label={t('editor.hasDeadline')} valuePropName="checked">
            <Switch disabled={!refundable} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name={['refund', 'proRata']}
            valuePropName="checked"
            label={t('editor.proRata')}
            rules={rules.proRata(form.getFieldValue)}
            dependencies={['kind']}
          >
            <Switch disabled={!refundable || kind !== 'count'} />
          </Form.Item>
        </Col>
        {hasDeadline ? (
          <>
            <Col span={8}>
              <Form.Item
                name={['refund', 'dayOffset']}
                label={t('editor.dayOffset')}
                extra={t('editor.dayOffsetHelp')}
                rules={rules.dayOffset}
              >
                <InputNumber style={{ width: '100%' }} disabled={!refundable} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name={['refund', 'time']}
                label={t('editor.time')}
                extra={t('editor.timeHelp')}
                rules={rules.time}
              >
                <Input disabled={!refundable} />
              </Form.Item>
            </Col>
          </>
        ) : null}
        <Col span={8}>
          <Form.Item name={['refund', 'feeKind']} label={t('editor.feeKind')}>
            <Radio.Group
              disabled={!refundable}
              options={(['fixed', 'permille'] as const).map((value) => ({
                value,
                label: t(`editor.feeKinds.${value}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          {feeKind === 'fixed' ? (
            <Form.Item
              name={['refund', 'feeYuan']}
              label={t('editor.feeYuan')}
              rules={rules.yuan(true, t('editor.feeYuan'))}
            >
              <Input prefix="¥" inputMode="decimal" disabled={!refundable} />
            </Form.Item>
          ) : (
            <Form.Item
              name={['refund', 'feePermille']}
              label={t('editor.feePermille')}
              rules={rules.permille}
            >
              <InputNumber style={{ width: '100%' }} suffix="‰" disabled={!refundable} />
            </Form.Item>
          )}
        </Col>
      </Row>
    </Section>
  );
}

export function RealNameSection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  return (
    <Section title={t('editor.sections.realName')}>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="realName" label={t('editor.realName')}>
            <Select
              options={(['none', 'per_ticket'] as const).map((value) => ({
                value,
                label: t(`editor.realNames.${value}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="perIdDailyLimit"
            label={t('editor.perIdDailyLimit')}
            extra={t('editor.perIdDailyLimitHelp')}
            rules={rules.perIdDailyLimit(form.getFieldValue)}
            dependencies={['realName']}
          >
            <InputNumber style={{ width: '100%' }} placeholder={t('unlimited')} />
          </Form.Item>
        </Col>
      </Row>
    </Section>
  );
}

export function AgeSection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const kind = Form.useWatch('kind', form) ?? 'single';
  const source = Form.useWatch(['ageDiscounts', 'source'], form) ?? 'site';
  return (
    <Section title={t('editor.sections.age')}>
      <Form.Item
        name={['ageDiscounts', 'source']}
        label={t('editor.ageSource')}
        rules={rules.ageSource(form.getFieldValue)}
        dependencies={['kind']}
      >
        <Radio.Group
          options={(['site', 'none', 'custom'] as const).map((value) => ({
            value,
            label: t(`editor.ageSources.${value}`),
            disabled: kind === 'group' && value !== 'none',
          }))}
        />
      </Form.Item>
      {source === 'custom' ? (
        <Form.List name={['ageDiscounts', 'rules']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <AgeRuleRow
                  key={field.key}
                  name={field.name}
                  index={index}
                  rules={rules}
                  form={form}
                  onRemove={() => remove(field.name)}
                />
              ))}
              <Button
                icon={<PlusOutlined />}
                disabled={fields.length >= 16}
                onClick={() =>
                  add({
                    minAge: 0,
                    maxAge: 6,
                    kind: 'permille',
                    payPermille: 0,
                    priceYuan: '',
                    labelZh: '',
                    labelEn: '',
                  })
                }
              >
                {t('editor.addAgeRule')}
              </Button>
            </>
          )}
        </Form.List>
      ) : null}
    </Section>
  );
}

function AgeRuleRow({
  name,
  index,
  rules,
  form,
  onRemove,
}: {
  name: number;
  index: number;
  rules: EditorRules;
  form: FormInstance<EditorValues>;
  onRemove: () => void;
}) {
  const { t } = useTranslation('catalog');
  const kind = Form.useWatch(['ageDiscounts', 'rules', name, 'kind'], form) ?? 'permille';
  const others = [['ageDiscounts', 'rules']];
  return (
    <fieldset
      aria-label={`${t('editor.ageSource')} ${index + 1}`}
      style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px 0', marginBottom: 8 }}
    >
      <Row gutter={12}>
        <Col span={5}>
          <Form.Item
            name={[name, 'minAge']}
            label={t('editor.minAge')}
            rules={rules.minAge(form.getFieldValue, name)}
            dependencies={others}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item
            name={[name, 'maxAge']}
            label={t('editor.maxAge')}
            extra={t('editor.maxAgeHelp')}
            rules={rules.maxAge(form.getFieldValue, name)}
            dependencies={[['ageDiscounts', 'rules', name, 'minAge']]}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name={[name, 'kind']} label={t('editor.discountKind')}>
            <Select
              options={(['permille', 'fixed'] as const).map((value) => ({
                value,
                label: t(`editor.discountKinds.${value}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={6}>
          {kind === 'permille' ? (
            <Form.Item
              name={[name, 'payPermille']}
              label={t('editor.payPermille')}
              extra={t('editor.payPermilleHelp')}
              rules={rules.permille}
            >
              <InputNumber style={{ width: '100%' }} suffix="‰" />
            </Form.Item>
          ) : (
            <Form.Item
              name={[name, 'priceYuan']}
              label={t('editor.priceYuan')}
              rules={rules.yuan(true, t('editor.priceYuan'))}
            >
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
          )}
        </Col>
        <Col span={2} style={{ paddingTop: 30 }}>
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('editor.removeAgeRule', { index: index + 1 })}
            onClick={onRemove}
          />
        </Col>
        <Col span={11}>
          <Form.Item name={[name, 'labelZh']} label={t('editor.labelZh')} rules={rules.labelZh}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={11}>
          <Form.Item name={[name, 'labelEn']} label={t('editor.labelEn')} rules={rules.labelEn}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
    </fieldset>
  );
}
