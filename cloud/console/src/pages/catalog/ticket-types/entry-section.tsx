/**
 * The editor's entry rules (issue: validity from first use, visit days, same-day re-entry): the activation limits
 * under the validity, a section for visit days / entries per day / re-entry, and the live plain-language preview.
 */
import {
  Alert,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Row,
  Switch,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../i18n';
import { type EditorValues, toDefinition } from './form-model';
import { entryRulesPreview, type PreviewInput, type PreviewLanguage } from './preview';
import type { EditorRules } from './rules';

/** Latest activation, shown only for a validity counted from the first entry (the API refuses it otherwise). */
export function ActivationFields({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const from = Form.useWatch(['validity', 'from'], form);
  if (from !== 'first_use') return null;
  return (
    <>
      <Col span={8}>
        <Form.Item
          name={['validity', 'activateBy']}
          label={t('editor.activateBy')}
          extra={t('editor.activateByHelp')}
          rules={rules.activateBy(form.getFieldValue)}
          dependencies={[['validity', 'from']]}
        >
          <Input placeholder="YYYY-MM-DD" maxLength={10} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item
          name={['validity', 'activateWithinDays']}
          label={t('editor.activateWithinDays')}
          extra={t('editor.activateWithinDaysHelp')}
          rules={rules.activateWithinDays(form.getFieldValue)}
          dependencies={[['validity', 'from']]}
        >
          <InputNumber style={{ width: '100%' }} placeholder="365" />
        </Form.Item>
      </Col>
    </>
  );
}

export function EntrySection({ rules, form }: { rules: EditorRules; form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const kind = Form.useWatch('kind', form) ?? 'single';
  const reentry = Form.useWatch(['rules', 'reentry'], form) ?? false;
  return (
    <section aria-label={t('editor.sections.entry')} style={{ marginBottom: 8 }}>
      <Typography.Title level={5} style={{ marginTop: 8 }}>
        {t('editor.sections.entry')}
      </Typography.Title>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name={['rules', 'visitDays']}
            label={t('editor.visitDays')}
            extra={t('editor.visitDaysHelp')}
            rules={rules.visitDays(form.getFieldValue)}
            dependencies={[
              ['validity', 'length', 'count'],
              ['validity', 'length', 'unit'],
            ]}
          >
            <InputNumber style={{ width: '100%' }} placeholder={t('unlimited')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name={['rules', 'entriesPerDay']}
            label={t('editor.entriesPerDay')}
            extra={t('editor.entriesPerDayHelp')}
            rules={rules.entriesPerDay}
          >
            <InputNumber style={{ width: '100%' }} placeholder={t('unlimited')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name={['rules', 'reentry']}
            label={t('editor.reentry')}
            extra={t('editor.reentryHelp')}
            valuePropName="checked"
            rules={rules.reentry(form.getFieldValue)}
            dependencies={['kind']}
          >
            <Switch disabled={kind !== 'single' && !reentry} />
          </Form.Item>
        </Col>
        <Col span={12}>
          {reentry ? (
            <Form.Item
              name={['rules', 'reentryUntil']}
              label={t('editor.reentryUntil')}
              extra={t('editor.reentryUntilHelp')}
              rules={rules.reentryUntil}
            >
              <Input placeholder={t('editor.reentryAllDay')} />
            </Form.Item>
          ) : null}
        </Col>
        <Col span={24}>
          <Form.Item name={['rules', 'unconfirmedUsesEntry']} valuePropName="checked">
            <Checkbox>{t('editor.unconfirmedUsesEntry')}</Checkbox>
          </Form.Item>
        </Col>
      </Row>
    </section>
  );
}

function hasNaN(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasNaN);
  return false;
}

/** The preview of what the form says now, or null while a number it needs is missing or does not parse. */
export function previewOf(values: EditorValues | undefined, language: PreviewLanguage): string | null {
  if (!values?.validity?.length || !values.rules || !values.persons) return null;
  let input: PreviewInput;
  try {
    const definition = toDefinition(values);
    input = {
      kind: definition.kind,
      validity: definition.validity,
      entries: definition.entries ?? null,
      persons: definition.persons,
      rules: { ...definition.rules, entriesPerDay: definition.rules.entriesPerDay ?? null },
    };
  } catch {
    return null;
  }
  if (hasNaN(input) || typeof input.validity.length.count !== 'number') return null;
  return entryRulesPreview(input, language);
}

/** The rules in plain words, in the console's language and the other one, updated as the operator types. */
export function RulesPreview({ form }: { form: FormInstance<EditorValues> }) {
  const { t } = useTranslation('catalog');
  const language = currentLanguage();
  const other: PreviewLanguage = language === 'en' ? 'zh-CN' : 'en';
  const texts = Form.useWatch(
    (values: EditorValues) => `${previewOf(values, language) ?? ''}\n${previewOf(values, other) ?? ''}`,
    { form, preserve: true },
  );
  const [main = '', second = ''] = (texts ?? '').split('\n');
  return (
    // Kept in view while the operator scrolls the drawer; the white band covers the drawer's top padding so the
    // fields scrolling underneath do not show above it.
    <div
      style={{
        position: 'sticky',
        top: -24,
        margin: '-24px 0 16px',
        paddingTop: 24,
        background: 'var(--ant-color-bg-elevated, #fff)',
        zIndex: 3,
      }}
    >
      <Alert
        type="info"
        showIcon
        data-testid="rules-preview"
        title={t('editor.preview')}
        description={
          main === '' ? (
            t('editor.previewIncomplete')
          ) : (
            <>
              <div data-testid="rules-preview-text" style={{ fontSize: 15 }}>
                {main}
              </div>
              <Typography.Text type="secondary" data-testid="rules-preview-other">
                {t('editor.previewOther')}
                {second}
              </Typography.Text>
            </>
          )
        }
      />
    </div>
  );
}
