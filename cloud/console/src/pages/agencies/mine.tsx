/**
 * 我的账户: an agency operator's own account over /agencies/mine — the account's figures, the authorised ticket types
 * and settlement prices, the ledger and statements. Read-only. An operator not linked to an agency sees why.
 */
import { Result, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';
import { useVenueZone } from '../admin/shared/venue-zone';
import { MINE, useMyAgency } from './mine-query';
import { AccountFigures, AgencyDetails, Ledger, StatementView } from './shared';
import { TypesPanel } from './types-panel';

export default function MyAgencyPage() {
  const { t } = useTranslation('agencies');
  const me = useMe().data ?? undefined;
  const zone = useVenueZone();
  const mine = useMyAgency();
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('mine.title')}
      </Typography.Title>
      <QueryView query={mine}>
        {(agency) =>
          agency === null ? (
            <Result
              status="info"
              title={<span data-testid="not-linked">{t('mine.notLinked')}</span>}
              subTitle={t('mine.notLinkedHelp')}
            />
          ) : (
            <>
              <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="agency-name">
                {agency.name}
              </Typography.Title>
              <AccountFigures agency={agency} />
              <AgencyDetails agency={agency} zone={zone} />
              <Tabs
                destroyOnHidden
                items={[
                  {
                    key: 'types',
                    label: t('tabs.types'),
                    children: (
                      <TypesPanel
                        base={MINE}
                        zone={zone}
                        canManage={false}
                        typesReadable={allows(me, 'ticket_types.read')}
                      />
                    ),
                  },
                  { key: 'ledger', label: t('tabs.ledger'), children: <Ledger base={MINE} zone={zone} /> },
                  {
                    key: 'statement',
                    label: t('tabs.statement'),
                    children: <StatementView base={MINE} zone={zone} />,
                  },
                ]}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}
