/**
 * The ticket-type editor (a drawer): create a type, or change one into a new version. The form checks as the
 * operator types (rules.ts); on save the API's field problems land on the fields (form-model.ts `formPathOf`),
 * a taken id or code on its field, and anything that belongs to no field is listed above the buttons.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { asApiError } from '../../../api/errors';
import type { CreateTicketType, TicketType, UpdateTicketType } from '../../../api/types';
import { describeError, ErrorAlert } from '../../../components/feedback';
import { currentLanguage } from '../../../i18n';
import { typeName } from '../shared';
import {
  AgeSection,
  BasicsSection,
  GateSection,
  PricesSection,
  RealNameSection,
  RefundSection,
  ValiditySection,
} from './editor-sections';
import { EntrySection, RulesPreview } from './entry-section';
import {
  diffDefinitions,
  type EditorValues,
  formPathOf,
  kindDependentValues,
  newTypeValues,
  toDefinition,
  toEditorValues,
} from './form-model';
import { editorRules } from './rules';

/** Conflicts that name one field although the API answers them as 409s. */
const CONFLICT_FIELDS: Record<string, string> = {
  TICKET_TYPE_ID_TAKEN: 'typeId',
  TICKET_TYPE_CODE_TAKEN: 'code',
};

export function TicketTypeEditor({
  siteId,
  type,
  onClose,
}: {
  siteId: string;
  /** The type to change; a new type when absent. */
  type?: TicketType;
  onClose: () => void;
}) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<EditorValues>();
  const [leftover, setLeftover] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const rules = useMemo(() => editorRules(t), [t]);
  const creating = !type;
  const initialValues = useMemo(
    () => (type ? { ...toEditorValues(type), typeId: type.typeId, code: type.code } : newTypeValues()),
    [type],
  );

  const save = useMutation({
    mutationFn: async (values: EditorValues) => {
      const definition = toDefinition(values);
      if (!type) {
        const body: CreateTicketType = {
          typeId: values.typeId!,
          siteId,
          code: values.code!.trim(),
          active: values.active ?? true,
          ...definition,
        };
        return { saved: await api.post<TicketType>('/ticket-types', body), changed: true };
      }
      const { typeId, version, createdAt, siteId: _site, code, active, updatedAt, ...before } = type;
      if (diffDefinitions(before, definition).length === 0) return { saved: type, changed: false };
      const body: UpdateTicketType = { ...definition, expectedVersion: type.version };
      return {
        saved: await api.patch<TicketType>(`/ticket-types/${type.typeId}`, body),
        changed: true,
      };
    },
    onSuccess: ({ saved, changed }) => {
      void client.invalidateQueries({ queryKey: ['ticket-types'] });
      if (!changed) void message.info(t('types.unchanged'));
      else if (creating) void message.success(t('types.created', { name: typeName(saved) }));
      else void message.success(t('types.savedVersion', { version: saved.version }));
      onClose();
    },
    onError: (error) => {
      const apiError = asApiError(error);
      const language = currentLanguage();
      const conflictField = CONFLICT_FIELDS[apiError.code];
      if (conflictField) {
        form.setFields([{ name: conflictField as 'typeId', errors: [describeError(error)] }]);
        return;
      }
      const problems = apiError.fieldProblems;
      if (problems.length === 0) {
        setFailure(error);
        return;
      }
      const unplaced: string[] = [];
      const fields: { name: (string | number)[]; errors: string[] }[] = [];
      for (const problem of problems) {
        const name = formPathOf(problem.path);
        if (name) fields.push({ name, errors: [problem.messages[language]] });
        else unplaced.push(`${problem.path.join('.') || '—'}: ${problem.messages[language]}`);
      }
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setLeftover(unplaced);
      if (fields.length > 0)
        form.scrollToField(fields[0]!.name as never, { behavior: 'smooth', block: 'center' });
    },
  });

  const title = type
    ? t('editor.editTitle', { name: typeName(type), version: type.version })
    : t('editor.createTitle');

  return (
    <Drawer
      open
      title={title}
      size={780}
      onClose={onClose}
      maskClosable={false}
      footer={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {leftover.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={t('editor.otherProblems')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {leftover.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              }
            />
          ) : null}
          <ErrorAlert error={failure} />
          <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
            <Button onClick={onClose}>{tc('actions.cancel')}</Button>
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => form.submit()}
              data-testid="editor-save"
            >
              {creating ? t('editor.create') : t('editor.save')}
            </Button>
          </Space>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {creating ? t('editor.hintCreate') : t('editor.hintEdit')}
      </Typography.Paragraph>
      <Form<EditorValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => {
          setLeftover([]);
          setFailure(null);
          save.mutate(values);
        }}
        onFinishFailed={({ errorFields }) => {
          if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
        }}
        onValuesChange={(changed: Partial<EditorValues>) => {
          // Activation limits belong to a validity from the first entry; hidden otherwise, so they are cleared.
          if (changed.validity?.from && changed.validity.from !== 'first_use') {
            form.setFieldValue(['validity', 'activateBy'], '');
            form.setFieldValue(['validity', 'activateWithinDays'], null);
          }
          if (changed.kind) {
            const kind = changed.kind;
            form.setFieldsValue({
              ...kindDependentValues(kind),
              ...(kind === 'group' ? { ageDiscounts: { source: 'none', rules: [] } } : {}),
            });
            form.setFieldValue(['refund', 'proRata'], kind === 'count');
            if (kind !== 'single') form.setFieldValue(['rules', 'reentry'], false);
          }
        }}
        requiredMark
        data-testid="ticket-type-editor"
      >
        <RulesPreview form={form} />
        <BasicsSection rules={rules} creating={creating} />
        <PricesSection rules={rules} form={form} />
        <ValiditySection rules={rules} form={form} />
        <EntrySection rules={rules} form={form} />
        <GateSection rules={rules} form={form} siteId={type?.siteId ?? siteId} />
        <RefundSection rules={rules} form={form} />
        <RealNameSection rules={rules} form={form} />
        <AgeSection rules={rules} form={form} />
      </Form>
    </Drawer>
  );
}
