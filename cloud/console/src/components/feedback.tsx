/**
 * How every page shows the API's answers: the localized message with its stable code, a retry where it helps, and
 * a server's field problems placed on the form's own fields.
 */
import { Alert, App, Button, Empty, type FormInstance, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/errors';
import { currentLanguage } from '../i18n';

/** "message (CODE)" in the console's language. */
export function describeError(error: unknown): string {
  const apiError = asApiError(error);
  return `${apiError.messageIn(currentLanguage())} (${apiError.code})`;
}

export function useNotifyError() {
  const { message } = App.useApp();
  return (error: unknown) => {
    void message.error({ content: describeError(error), duration: 6 });
  };
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const apiError = asApiError(error);
  return (
    <Result
      status="warning"
      title={t('states.error')}
      subTitle={
        <span data-testid="error-state">
          {apiError.messageIn(currentLanguage())} · {t('states.errorCode')} {apiError.code}
        </span>
      }
      extra={onRetry ? <Button onClick={onRetry}>{t('actions.retry')}</Button> : null}
    />
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" title={describeError(error)} data-testid="error-alert" />;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} aria-busy="true">
      <Spin description={t('states.loading')} />
    </div>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <Empty description={children ?? t('states.empty')} />;
}

/** Loading, error and empty states around a query's data, so no page forgets one. */
export function QueryView<T>({
  query,
  empty,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  empty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error || query.data === undefined)
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (empty?.(query.data)) return <EmptyState />;
  return <>{children(query.data)}</>;
}

/**
 * Puts a VALIDATION_FAILED answer's per-field problems on the form's fields (path ['holders', 0, 'idNumber'] is the
 * form field of the same name path); returns false when none matched a field, so the caller shows the message.
 */
export function applyFieldErrors(form: FormInstance, error: unknown): boolean {
  const apiError = asApiError(error);
  const language = currentLanguage();
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((name) => JSON.stringify([name])),
  );
  const fields = apiError.fieldProblems
    .filter((problem) => problem.path.length > 0 && known.has(JSON.stringify([problem.path[0]])))
    .map((problem) => ({ name: [...problem.path], errors: [problem.messages[language]] }));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
