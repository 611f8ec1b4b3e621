/**
 * 经营分析 (决策分析): the 同比 / 环比 comparison, the ticket-type mix and the entries heatmap over one period, a tab
 * each; the period, the site and each tab's choices live in the address, so a view can be bookmarked or sent.
 */
import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CompareTab } from './compare';
import { HeatmapTab } from './heatmap';
import { MixTab } from './mix';
import { PeriodFilter, usePeriod } from './shared';

const TABS = ['compare', 'mix', 'heatmap'] as const;
type Tab = (typeof TABS)[number];

export default function AnalysisPage() {
  const { t } = useTranslation('analysis');
  const { params, setParam } = usePeriod();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'compare';
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <PeriodFilter />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam({ tab: key === 'compare' ? undefined : key })}
          destroyOnHidden
          items={[
            { key: 'compare', label: t('tabs.compare'), children: <CompareTab /> },
            { key: 'mix', label: t('tabs.mix'), children: <MixTab /> },
            { key: 'heatmap', label: t('tabs.heatmap'), children: <HeatmapTab /> },
          ]}
        />
      </Card>
    </Flex>
  );
}
