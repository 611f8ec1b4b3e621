/**
 * A settlement's figures by dimension — ticket type, channel, tender, window, cashier, agency, source — as small
 * tables side by side. The API gives codes and ids; types are named from the site's ticket types, cashiers from the
 * day's shifts (finance may not read operators), the rest shown as their codes.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SettlementDay } from '../../api/types';
import { Money, nameOf } from '../desk/labels';
import { siteTypesQuery } from '../window/queries';

type Figures = SettlementDay['figures'];

interface Line {
  key: string;
  name: string;
  count?: number;
  tickets?: number;
  persons?: number;
  amountFen: number;
}

function FigureTable({
  title,
  lines,
  testId,
  counts,
}: {
  title: string;
  lines: Line[];
  testId: string;
  counts: 'tickets' | 'payments';
}) {
  const { t } = useTranslation('shifts');
  return (
    <Card size="small" title={title} data-testid={testId} style={{ height: '100%' }}>
      <Table<Line>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={lines}
        columns={[
          { title: '', dataIndex: 'name' },
          counts === 'payments'
            ? { title: t('settlement.payments'), dataIndex: 'count', align: 'right' }
            : { title: t('settlement.tickets'), dataIndex: 'tickets', align: 'right' },
          {
            title: t('settlement.amount'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (f: number) => <Money fen={f} />,
          },
        ]}
      />
    </Card>
  );
}

export function FigureTables({
  siteId,
  figures,
  cashierName,
}: {
  siteId: string;
  figures: Figures;
  cashierName: (id: string) => string;
}) {
  const { t } = useTranslation('shifts');
  const types = useQuery(siteTypesQuery(siteId));
  const typeName = (id: number) => {
    const type = types.data?.find((candidate) => candidate.typeId === id);
    return type ? nameOf(type.name) : String(id);
  };
  const none = t('settlement.none');
  const channel = (code: string) =>
    code in { window: 1, online: 1, ota: 1, agency: 1, self_service: 1, channel_api: 1 }
      ? t(`settlement.channels.${code as 'window'}`)
      : code;
  const tables = [
    {
      key: 'byType',
      counts: 'tickets' as const,
      lines: figures.byType.map((r) => ({ key: String(r.typeId), name: typeName(r.typeId), ...r })),
    },
    {
      key: 'byChannel',
      counts: 'tickets' as const,
      lines: figures.byChannel.map((r) => ({ key: r.channel, name: channel(r.channel), ...r })),
    },
    {
      key: 'byTender',
      counts: 'payments' as const,
      lines: figures.byTender.map((r) => ({
        key: r.method,
        name: t(`methods.${r.method}`),
        count: r.payments,
        amountFen: r.amountFen,
      })),
    },
    {
      key: 'byWindow',
      counts: 'tickets' as const,
      lines: figures.byWindow.map((r) => ({ key: r.windowId ?? '', name: r.windowId || none, ...r })),
    },
    {
      key: 'byCashier',
      counts: 'tickets' as const,
      lines: figures.byCashier.map((r) => ({
        key: r.cashierId ?? '',
        name: r.cashierId ? cashierName(r.cashierId) : none,
        ...r,
      })),
    },
    {
      key: 'byAgency',
      counts: 'tickets' as const,
      lines: figures.byAgency.map((r) => ({ key: r.agencyId ?? '', name: r.agencyId || none, ...r })),
    },
    {
      key: 'bySource',
      counts: 'payments' as const,
      lines: figures.bySource.map((r) => ({ key: r.source, name: t(`sources.${r.source}`), ...r })),
    },
  ] as const;
  return (
    <Row gutter={[12, 12]}>
      {tables
        // Agencies only where an agency sold: a day of window sales alone has nothing but "(none)" there.
        .filter((table) => table.lines.some((line) => table.key !== 'byAgency' || line.key !== ''))
        .map((table) => (
          <Col xs={24} lg={12} xl={8} key={table.key}>
            <FigureTable
              title={t(`settlement.${table.key}`)}
              lines={[...table.lines]}
              counts={table.counts}
              testId={`figures-${table.key}`}
            />
          </Col>
        ))}
    </Row>
  );
}
