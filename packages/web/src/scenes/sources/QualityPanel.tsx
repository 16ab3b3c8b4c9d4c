/**
 * Data quality per source: a bar chart of match rate and rejected share (the two figures people
 * compare across sources at a glance), and a table with disputes and freshness.
 */
import { Empty, Progress, Table, Tag } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { departmentName } from '../../components/labels';
import { getQuality, type SourceQuality } from './sourcesApi';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

function QualityChart({ rows }: { rows: SourceQuality[] }) {
  const { t, i18n } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const loaded = useMemo(() => rows.filter((r) => r.openRecords > 0 || r.rowsRead > 0), [rows]);
  // Horizontal bars: Chinese source names are long and do not fit under an x axis on a phone.
  const height = Math.max(220, loaded.length * 48 + 80);
  useEffect(() => {
    if (!element.current || loaded.length === 0) return;
    const chart = echarts.init(element.current);
    const name = (r: SourceQuality) => (i18n.language === 'en' ? r.labelEn : r.label);
    chart.setOption({
      title: { text: t('sources.quality.chartTitle'), left: 0, top: 0, textStyle: { fontSize: 14 } },
      grid: { left: 8, right: 48, top: 64, bottom: 8, containLabel: true },
      legend: { top: 28, left: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v}%` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: loaded.map(name), axisLabel: { width: 130, overflow: 'truncate' } },
      series: [
        {
          name: t('sources.quality.matchRate'),
          type: 'bar',
          data: loaded.map((r) => percent(r.matchRate) ?? 0),
          itemStyle: { color: '#389e0d' },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
        {
          name: t('sources.quality.rejectedShare'),
          type: 'bar',
          data: loaded.map((r) => percent(r.rejectedShare) ?? 0),
          itemStyle: { color: '#cf1322' },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [loaded, t, i18n.language]);
  if (loaded.length === 0) return <Empty description={t('sources.quality.noData')} />;
  return <div ref={element} style={{ width: '100%', height }} data-testid="quality-chart" />;
}

export function QualityPanel({ refresh }: { refresh: unknown }) {
  const { t, i18n } = useTranslation();
  const quality = useLoad(getQuality, [refresh]);
  // Sources with data first: the figures people came for are not pushed below empty rows.
  const rows = useMemo(
    () => [...(quality.data ?? [])].sort((a, b) => Number(b.rowsRead > 0) - Number(a.rowsRead > 0)),
    [quality.data],
  );
  return (
    <>
      <QualityChart rows={rows} />
      <Table<SourceQuality>
        rowKey="source"
        size="small"
        loading={quality.loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="quality-table"
        columns={[
          {
            title: t('sources.source'),
            dataIndex: 'label',
            render: (_: string, r) => (i18n.language === 'en' ? r.labelEn : r.label),
          },
          {
            title: t('sources.quality.department'),
            dataIndex: 'department',
            render: (d: string) => departmentName(t, d),
          },
          { title: t('sources.quality.openRecords'), dataIndex: 'openRecords', align: 'right' },
          {
            title: t('sources.quality.matchRate'),
            dataIndex: 'matchRate',
            render: (v: number | null) =>
              v === null ? '—' : <Progress percent={percent(v) ?? 0} size="small" style={{ width: 110 }} />,
          },
          {
            title: t('sources.quality.rejectedShare'),
            dataIndex: 'rejectedShare',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : `${percent(v)}%`),
          },
          {
            title: t('sources.quality.openDisputes'),
            dataIndex: 'openDisputes',
            align: 'right',
            render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : n),
          },
          { title: t('sources.quality.anomalyImports'), dataIndex: 'importsWithAnomalies', align: 'right' },
          {
            title: t('sources.quality.newestAsOf'),
            dataIndex: 'newestAsOf',
            width: 120,
            render: (v: string | null) => v ?? t('sources.quality.noData'),
          },
          {
            title: t('sources.quality.daysSince'),
            dataIndex: 'daysSinceAsOf',
            align: 'right',
            render: (v: number | null) =>
              v === null ? '—' : <Tag color={v > 62 ? 'red' : v > 31 ? 'orange' : 'green'}>{v}</Tag>,
          },
        ]}
      />
    </>
  );
}
