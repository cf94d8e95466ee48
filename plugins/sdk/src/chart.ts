/**
 * Charts for the editor's screens and the plugins' panels, through Apache ECharts (the chart
 * library Chinese teams know; its SVG renderer keeps labels as text, readable by tests and
 * screen readers). One component, an ECharts option in: screens describe charts as data.
 */
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createElement, useEffect, useRef } from 'react';

use([
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = EChartsCoreOption;

type Resizable = {
  addEventListener(type: 'resize', f: () => void): void;
  removeEventListener(type: 'resize', f: () => void): void;
};

/**
 * A chart of `option`, `height` px tall and as wide as its container; `label` says what it shows.
 * `onClick` gets the clicked item's index in its series and the series' index (a pointer's
 * shortcut: offer the same choice as a link or a button for the keyboard).
 */
export function Chart({
  option,
  label,
  height = 260,
  onClick,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  onClick?: (dataIndex: number, seriesIndex: number) => void;
}) {
  const box = useRef<unknown>(null);
  const chart = useRef<EChartsType | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;
  useEffect(() => {
    const made = init(box.current as Parameters<typeof init>[0], undefined, { renderer: 'svg' });
    chart.current = made;
    made.on('click', (p) => clicked.current?.(p.dataIndex, p.seriesIndex ?? 0));
    const resize = () => made.resize();
    const view = globalThis as unknown as Resizable;
    view.addEventListener('resize', resize);
    return () => {
      view.removeEventListener('resize', resize);
      made.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true }, ...option }, true);
  }, [option]);
  return createElement('div', {
    ref: box,
    role: 'img',
    'aria-label': label,
    style: { width: '100%', height, ...(onClick ? { cursor: 'pointer' } : {}) },
  });
}
