/**
 * Registry counts per child region (households, persons, households per category): a table and a
 * stacked bar chart. Shown on the region page to accounts that may read households.
 */
import { Card, Empty, Table, Tabs } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { CATEGORIES, type Category } from '../households/householdsApi';
import { CATEGORY_HEX } from '../households/registryLabels';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface RegionStatsRow {
  code: string;
  name: string;
  households: number;
  persons: number;
  categories: Partial<Record<Category, number>>;
}

const loadStats = (code: string): Promise<RegionStatsRow[]> =>
  call(api.GET('/api/regions/{code}/registry-stats', { params: { path: { code } } })).then(
    (stats) => stats.children,
  );

export function RegistryStats({ code }: { code: string }) {
  const { t } = useTranslation();
  const stats = useLoad(() => loadStats(code), [code]);
  // A missing route or a refusal should not take the region page down with it.
  if (stats.error) return null;
  const rows = stats.data ?? [];
  const used = CATEGORIES.filter((c) => rows.some((r) => (r.categories?.[c] ?? 0) > 0));
  return (
    <Card title={t('registry.stats.title')} size="small" style={{ marginTop: 16 }} loading={stats.loading}>
      {rows.length === 0 ? (
        <Empty description={t('registry.stats.empty')} />
      ) : (
        <Tabs
          size="small"
          items={[
            {
              key: 'chart',
              label: t('registry.stats.chart'),
              // Regions without households would only add empty bars.
              children: <StatsChart rows={rows.filter((r) => r.households > 0)} categories={used} />,
            },
            {
              key: 'table',
              label: t('registry.stats.table'),
              children: (
                <Table<RegionStatsRow>
                  rowKey="code"
                  size="small"
                  dataSource={rows}
                  pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                  scroll={{ x: 'max-content' }}
                  data-testid="registry-stats-table"
                  columns={[
                    {
                      title: t('regions.name'),
                      dataIndex: 'name',
                      fixed: 'left',
                      render: (name: string, row) => <Link to={`/regions/${row.code}`}>{name}</Link>,
                    },
                    { title: t('registry.stats.households'), dataIndex: 'households', align: 'right' },
                    { title: t('registry.stats.persons'), dataIndex: 'persons', align: 'right' },
                    ...used.map((c) => ({
                      key: c,
                      title: t(`registry.categories.${c}`),
                      align: 'right' as const,
                      render: (_: unknown, row: RegionStatsRow) => row.categories?.[c] ?? 0,
                    })),
                  ]}
                />
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function StatsChart({ rows, categories }: { rows: RegionStatsRow[]; categories: Category[] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  // Horizontal bars, like the villages chart: long township names do not fit an x axis on a phone.
  const height = Math.max(240, rows.length * 28 + 80);

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    const sorted = [...rows].sort((a, b) => a.households - b.households);
    // A household can be in two categories; the rest of the bar is households in none.
    const rest = sorted.map((r) =>
      Math.max(0, r.households - categories.reduce((sum, c) => sum + (r.categories?.[c] ?? 0), 0)),
    );
    chart.setOption({
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => r.name),
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: [
        ...categories.map((c) => ({
          name: t(`registry.categories.${c}`),
          type: 'bar',
          stack: 'households',
          data: sorted.map((r) => r.categories?.[c] ?? 0),
          itemStyle: { color: CATEGORY_HEX[c] },
        })),
        {
          name: t('registry.stats.noCategory'),
          type: 'bar',
          stack: 'households',
          data: rest,
          itemStyle: { color: '#d9d9d9' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, categories, t]);

  return <div ref={element} style={{ width: '100%', height }} data-testid="registry-stats-chart" />;
}
