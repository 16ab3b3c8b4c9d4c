/** Monthly cost by township, baseline against scenario (ECharts, tree-shaken core). */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { WhatIfResult } from './whatIfApi';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function WhatIfChart({ townships }: { townships: WhatIfResult['townships'] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  // Horizontal bars: long township names do not fit under an x axis on a phone.
  const height = Math.max(260, townships.length * 44 + 60);

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    const rows = [...townships].sort((a, b) => a.monthlyScenarioFen - b.monthlyScenarioFen);
    const toYuan = (fen: number) => Math.round(fen) / 100;
    chart.setOption({
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: t('whatIf.chartUnit'), axisLabel: { hideOverlap: true } },
      yAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: [
        {
          name: t('whatIf.baseline'),
          type: 'bar',
          data: rows.map((r) => toYuan(r.monthlyBaselineFen)),
          itemStyle: { color: '#8c8c8c' },
        },
        {
          name: t('whatIf.scenario'),
          type: 'bar',
          data: rows.map((r) => toYuan(r.monthlyScenarioFen)),
          itemStyle: { color: '#c0504d' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [townships, t]);

  return <div ref={element} style={{ width: '100%', height }} data-testid="what-if-chart" />;
}
