/**
 * Today's denials by reason as a horizontal bar chart. Loaded on demand (React.lazy) and built from echarts/core
 * with only the bar chart, the grid, the tooltip, the aria description and the canvas renderer, so the dashboard's
 * first paint does not wait for the chart library.
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  type AriaComponentOption,
  GridComponent,
  type GridComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';

use([BarChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption
>;

export interface DenialBar {
  readonly label: string;
  readonly count: number;
}

const BAR_HEIGHT = 28;

export default function DenialsChart({ bars, label }: { bars: readonly DenialBar[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);
  // Most frequent at the top: the category axis draws its first entry at the bottom.
  const ordered = useMemo(() => [...bars].reverse(), [bars]);

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const instance = init(node, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const option: Option = {
      aria: { enabled: true, label: { description: label } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: { type: 'category', data: ordered.map((bar) => bar.label), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          data: ordered.map((bar) => bar.count),
          itemStyle: { color: '#dc2626', borderRadius: [0, 3, 3, 0] },
          barMaxWidth: 18,
          label: { show: true, position: 'right' },
        },
      ],
    };
    instance.setOption(option, true);
    instance.resize();
  }, [ordered, label]);

  return (
    <div
      ref={element}
      role="img"
      aria-label={label}
      data-testid="denials-chart"
      data-bars={ordered.length}
      style={{ width: '100%', height: Math.max(80, 24 + ordered.length * BAR_HEIGHT) }}
    />
  );
}
