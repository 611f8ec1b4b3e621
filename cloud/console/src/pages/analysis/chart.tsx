/**
 * The analysis charts' one ECharts host, loaded on demand (React.lazy) like the dashboard's chart and built from
 * echarts/core with only what these charts draw: lines, bars, the heatmap with its colour scale, the legend, the
 * title (kept in a saved PNG, so the picture says what it shows), tooltips and the aria description. The page builds
 * the option; `onInstance` hands it the chart for "save as PNG".
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  AriaComponent,
  CanvasRenderer,
]);

export interface ChartProps {
  readonly option: EChartsCoreOption;
  readonly label: string;
  readonly testId: string;
  readonly height: number;
  readonly onInstance?: (chart: EChartsType | undefined) => void;
}

export default function Chart({ option, label, testId, height, onInstance }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const instance = init(node, undefined, { renderer: 'canvas' });
    chart.current = instance;
    onInstance?.(instance);
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      onInstance?.(undefined);
      instance.dispose();
      chart.current = undefined;
    };
  }, [onInstance]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    // No growing lines for an operator who asked the system for less motion (and a screenshot sees the whole chart).
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    instance.setOption(
      { aria: { enabled: true, label: { description: label } }, animation: !still, ...option },
      true,
    );
    instance.resize();
  }, [option, label]);

  return (
    <div ref={element} role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height }} />
  );
}
