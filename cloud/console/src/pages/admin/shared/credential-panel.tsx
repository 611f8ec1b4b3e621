/**
 * A gate's freshly issued MQTT login: the password (shown this once, with a copy button) and the exact command that
 * starts the gate simulator as this gate against this cloud's broker.
 */
import { Alert, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IssuedCredential } from '../../../api/types';
import { useGateBroker } from './queries';
import { gateBrokerUrl, simulatorCommand } from './simulator-command';

export function CredentialPanel({
  credential,
  direction,
}: {
  credential: IssuedCredential;
  direction: 'in' | 'out' | 'both';
}) {
  const { t } = useTranslation('admin');
  const broker = useGateBroker();
  const brokerUrl = gateBrokerUrl(broker.data, window.location.hostname);
  const command = simulatorCommand({
    siteId: credential.siteId,
    gateId: credential.gateId,
    direction,
    brokerUrl,
    username: credential.username,
    password: credential.password,
  });
  const portUnknown = !broker.isPending && (broker.isError || (broker.data?.embedded && !broker.data.port));
  return (
    <div data-testid="gate-credential">
      <Alert type="warning" showIcon title={t('credential.onceWarning')} style={{ marginBottom: 16 }} />
      <Descriptions
        column={1}
        bordered
        size="small"
        styles={{ label: { width: 150 } }}
        items={[
          {
            key: 'username',
            label: t('credential.username'),
            children: <Typography.Text copyable>{credential.username}</Typography.Text>,
          },
          { key: 'clientId', label: t('credential.clientId'), children: credential.clientId },
          {
            key: 'password',
            label: t('credential.password'),
            children: (
              <Typography.Text code copyable={{ text: credential.password }} data-testid="gate-password">
                {credential.password}
              </Typography.Text>
            ),
          },
          {
            key: 'broker',
            label: t('credential.broker'),
            children: <Typography.Text copyable>{brokerUrl}</Typography.Text>,
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('credential.command')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('credential.commandHelp')}</Typography.Paragraph>
      <Typography.Paragraph
        copyable={{ text: command }}
        code
        data-testid="simulator-command"
        style={{ wordBreak: 'break-all' }}
      >
        {command}
      </Typography.Paragraph>
      {portUnknown ? <Alert type="info" showIcon title={t('credential.portUnknown')} /> : null}
    </div>
  );
}
