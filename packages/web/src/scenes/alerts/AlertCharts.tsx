/** ECharts of the alert pages (tree-shaken core): the portrait's radar, the dashboard's bars, pie and trend. */
import { BarChart, LineChart, PieChart, RadarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  RadarChart,
  GridComponent,
  LegendComponent,
  RadarComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** One chart in a div; re-drawn when the option changes, resized with the window. */
function Chart({
  option,
  height,
  testId,
}: {
  option: echarts.EChartsCoreOption;
  height: number;
  testId: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  // Options are built fresh on every render; draw again only when what they say changes.
  const said = JSON.stringify(option);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `said` stands for the option.
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [said]);
  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}

export function PortraitRadar({
  dimensions,
  name,
}: {
  dimensions: { name: string; score: number }[];
  name: string;
}) {
  return (
    <Chart
      testId="portrait-radar"
      height={320}
      option={{
        tooltip: {},
        radar: {
          indicator: dimensions.map((d) => ({ name: d.name, max: 100 })),
          radius: '65%',
          axisName: { color: '#333' },
        },
        series: [
          {
            type: 'radar',
            name,
            data: [{ value: dimensions.map((d) => d.score), name, areaStyle: { opacity: 0.25 } }],
            itemStyle: { color: '#c0504d' },
          },
        ],
      }}
    />
  );
}

export function CountBars({
  rows,
  testId,
  colours,
}: {
  rows: { name: string; count: number; key?: string }[];
  testId: string;
  colours?: Record<string, string>;
}) {
  // Horizontal bars: long township and department names do not fit under an x axis on a phone.
  const sorted = [...rows].sort((a, b) => a.count - b.count);
  return (
    <Chart
      testId={testId}
      height={Math.max(180, rows.length * 36 + 40)}
      option={{
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: {
          type: 'category',
          data: sorted.map((r) => r.name),
          axisLabel: { width: 110, overflow: 'truncate' },
        },
        series: [
          {
            type: 'bar',
            data: sorted.map((r) => ({
              value: r.count,
              itemStyle: { color: (r.key && colours?.[r.key]) || '#5470c6' },
            })),
            label: { show: true, position: 'right' },
            barMaxWidth: 28,
          },
        ],
      }}
    />
  );
}

export function ColourPie({
  rows,
  colours,
}: {
  rows: { key: string; name: string; count: number }[];
  colours: Record<string, string>;
}) {
  return (
    <Chart
      testId="colour-pie"
      height={240}
      option={{
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['40%', '68%'],
            data: rows.map((r) => ({ name: r.name, value: r.count, itemStyle: { color: colours[r.key] } })),
            label: { formatter: '{b} {c}' },
          },
        ],
      }}
    />
  );
}

export function MonthlyTrend({
  rows,
  raisedName,
  closedName,
}: {
  rows: { month: string; raised: number; closed: number }[];
  raisedName: string;
  closedName: string;
}) {
  return (
    <Chart
      testId="monthly-trend"
      height={260}
      option={{
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: rows.map((r) => r.month) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'line',
            name: raisedName,
            data: rows.map((r) => r.raised),
            itemStyle: { color: '#c0504d' },
          },
          {
            type: 'line',
            name: closedName,
            data: rows.map((r) => r.closed),
            itemStyle: { color: '#389e0d' },
          },
        ],
      }}
    />
  );
}

/** 超期上报: one horizontal bar per township, stacked by how many levels up the alerts went. */
export function EscalationBars({
  rows,
  levelNames,
}: {
  rows: { township: string; level: number; count: number }[];
  levelNames: Record<number, string>;
}) {
  const townships = [...new Set(rows.map((r) => r.township))];
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.township, (totals.get(r.township) ?? 0) + r.count);
  // Most escalations at the top, as in the other bars.
  townships.sort((a, b) => (totals.get(a) ?? 0) - (totals.get(b) ?? 0));
  // Deeper escalations in deeper red: level 3 means the county itself let it run over again.
  const shades: Record<number, string> = { 1: '#f4b183', 2: '#e06666', 3: '#990000' };
  return (
    <Chart
      testId="handling-escalations"
      height={Math.max(180, townships.length * 36 + 72)}
      option={{
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: {
          type: 'category',
          data: townships,
          axisLabel: { width: 110, overflow: 'truncate' },
        },
        series: [1, 2, 3].map((level) => ({
          type: 'bar',
          stack: 'level',
          name: levelNames[level],
          data: townships.map((t) => rows.find((r) => r.township === t && r.level === level)?.count ?? 0),
          itemStyle: { color: shades[level] },
          label: { show: true, formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
          barMaxWidth: 28,
        })),
      }}
    />
  );
}
