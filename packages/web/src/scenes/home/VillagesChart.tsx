/** A bar chart of villages per township, drawn with the tree-shaken ECharts core. */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

interface Row {
  name: string;
  count: number;
}

export function VillagesChart({ rows }: { rows: Row[] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  // Horizontal bars: township names such as 观音湖生态文化旅游渡假区 are too long for an x axis on a phone.
  const height = Math.max(240, rows.length * 28 + 40);

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    const sorted = [...rows].sort((a, b) => a.count - b.count);
    chart.setOption({
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => r.name),
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: [
        {
          name: t('home.chartSeries'),
          type: 'bar',
          data: sorted.map((r) => r.count),
          itemStyle: { color: '#c0504d' },
          label: { show: true, position: 'right' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, t]);

  return <div ref={element} style={{ width: '100%', height }} data-testid="villages-chart" />;
}
