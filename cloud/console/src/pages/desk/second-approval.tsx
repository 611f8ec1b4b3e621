/**
 * 双人复核: above the second-approval threshold the cloud refuses a refund or a supplement with
 * SECOND_APPROVAL_REQUIRED (details.thresholdFen) until another operator holding the approval permission types their
 * username and password at this counter. `useApprovedAction` runs a money action through that: the first attempt
 * without approval, and when the cloud asks for one this dialog, which resends the same request (same
 * Idempotency-Key) with `approval`. A wrong approver keeps the dialog open with the API's message and code; any
 * other refusal closes it and goes back to the form.
 */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Form, Input, type InputRef, Modal, Space, Typography } from 'antd';
import { type ReactElement, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/errors';
import { ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';

export interface Approval {
  readonly username: string;
  readonly password: string;
}

/** Refusals that concern the approver: the dialog stays open for another try. */
const APPROVER_CODES = new Set(['SECOND_APPROVER_INVALID', 'SECOND_APPROVER_SAME_OPERATOR', 'RATE_LIMITED']);

/** The threshold in fen when the error asks for a second approval, else undefined. */
export function approvalThreshold(error: unknown): number | undefined {
  const apiError = asApiError(error);
  if (apiError.code !== 'SECOND_APPROVAL_REQUIRED') return undefined;
  const threshold = (apiError.details as { thresholdFen?: unknown } | undefined)?.thresholdFen;
  return typeof threshold === 'number' ? threshold : 0;
}

function concernsApprover(error: unknown): boolean {
  const apiError = asApiError(error);
  if (APPROVER_CODES.has(apiError.code)) return true;
  return (
    apiError.code === 'VALIDATION_FAILED' &&
    apiError.fieldProblems.length > 0 &&
    apiError.fieldProblems.every((problem) => problem.path[0] === 'approval')
  );
}

interface DialogProps {
  readonly open: boolean;
  readonly amountFen: number | undefined;
  readonly thresholdFen: number;
  readonly permission: 'refunds.approve' | 'supplements.approve';
  readonly pending: boolean;
  readonly error: unknown;
  readonly onSubmit: (approval: Approval) => void;
  readonly onCancel: () => void;
}

export function SecondApprovalDialog(props: DialogProps) {
  const { t } = useTranslation('desk');
  const [form] = Form.useForm<{ approverUsername: string; approverPassword: string }>();
  const password = useRef<InputRef>(null);
  const submit = () => form.submit();
  // A refused approver types the password again: clear it and put the cursor there.
  useEffect(() => {
    if (!props.error) return;
    form.setFieldValue('approverPassword', '');
    password.current?.focus();
  }, [props.error, form]);
  return (
    <Modal
      open={props.open}
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t('approval.title')}
        </Space>
      }
      okText={t('approval.submit')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={props.onCancel}
      confirmLoading={props.pending}
      destroyOnHidden
      width={440}
      afterOpenChange={(open) => {
        if (!open) form.resetFields();
      }}
    >
      <div data-testid="second-approval">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert
            type="warning"
            showIcon
            title={t('approval.explain', {
              amount: props.amountFen === undefined ? '' : formatFen(props.amountFen),
              threshold: formatFen(props.thresholdFen),
            })}
            description={t(
              props.permission === 'refunds.approve' ? 'approval.whoRefund' : 'approval.whoSupplement',
            )}
          />
          <ErrorAlert error={props.error} />
          <Form
            form={form}
            name="approval"
            layout="vertical"
            requiredMark={false}
            autoComplete="off"
            onFinish={(values) => {
              props.onSubmit({ username: values.approverUsername.trim(), password: values.approverPassword });
            }}
            onFinishFailed={() => undefined}
          >
            <Form.Item
              label={t('approval.username')}
              name="approverUsername"
              rules={[
                { required: true, whitespace: true, message: t('approval.usernameRequired') },
                { max: 64, message: t('common.tooLong', { max: 64 }) },
              ]}
            >
              <Input
                autoFocus
                autoComplete="off"
                onPressEnter={(event) => {
                  event.preventDefault();
                  password.current?.focus();
                }}
              />
            </Form.Item>
            <Form.Item
              label={t('approval.password')}
              name="approverPassword"
              rules={[
                { required: true, message: t('approval.passwordRequired') },
                { max: 256, message: t('common.tooLong', { max: 256 }) },
              ]}
            >
              <Input.Password ref={password} autoComplete="new-password" onPressEnter={submit} />
            </Form.Item>
          </Form>
          <Typography.Text type="secondary">{t('approval.note')}</Typography.Text>
        </Space>
      </div>
    </Modal>
  );
}

interface ApprovedAction<T> {
  /** Sends the request, with the approval when one was given (same request, same key). */
  readonly send: (approval: Approval | undefined) => Promise<T>;
  readonly onSuccess: (result: T) => void;
  readonly onError: (error: unknown) => void;
  readonly permission: 'refunds.approve' | 'supplements.approve';
  /** What the action is worth, shown in the dialog. */
  readonly amountFen: number | undefined;
}

export function useApprovedAction<T>(action: ApprovedAction<T>): {
  start: () => void;
  pending: boolean;
  dialog: ReactElement;
} {
  const [pending, setPending] = useState(false);
  const [asking, setAsking] = useState<{ thresholdFen: number } | null>(null);
  const [approvalError, setApprovalError] = useState<unknown>(null);
  const [approving, setApproving] = useState(false);

  const start = async () => {
    setPending(true);
    try {
      action.onSuccess(await action.send(undefined));
    } catch (error) {
      const thresholdFen = approvalThreshold(error);
      if (thresholdFen === undefined) action.onError(error);
      else {
        setApprovalError(null);
        setAsking({ thresholdFen });
      }
    } finally {
      setPending(false);
    }
  };

  const approve = async (approval: Approval) => {
    setApproving(true);
    setApprovalError(null);
    try {
      const result = await action.send(approval);
      setAsking(null);
      action.onSuccess(result);
    } catch (error) {
      if (concernsApprover(error)) setApprovalError(error);
      else {
        setAsking(null);
        action.onError(error);
      }
    } finally {
      setApproving(false);
    }
  };

  const dialog = (
    <SecondApprovalDialog
      open={asking !== null}
      amountFen={action.amountFen}
      thresholdFen={asking?.thresholdFen ?? 0}
      permission={action.permission}
      pending={approving}
      error={approvalError}
      onSubmit={(approval) => void approve(approval)}
      onCancel={() => setAsking(null)}
    />
  );
  return { start: () => void start(), pending: pending || approving, dialog };
}
