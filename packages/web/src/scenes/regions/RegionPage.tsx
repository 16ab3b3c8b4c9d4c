/** /regions/:code — the region tree and one region's detail. Outside the scope: the 403 page. */
import {
  Breadcrumb,
  Card,
  Col,
  Collapse,
  Descriptions,
  Grid,
  Row,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, type Region } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { levelCountName, levelName } from '../../components/labels';
import { ApiErrorPage } from '../errors/ErrorPage';
import { RegionTree } from './RegionTree';
import { RegistryStats } from './RegistryStats';

export default function RegionPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const detail = useLoad(() => call(api.GET('/api/regions/{code}', { params: { path: { code } } })), [code]);

  if (detail.error) return <ApiErrorPage error={detail.error} />;
  if (!detail.data) return <FullPageSpin />;
  const { region, ancestors, children, countsByLevel } = detail.data;
  const levels = Object.entries(countsByLevel)
    .map(([level, count]) => ({ level: Number(level), count }))
    .filter((entry) => entry.level > region.level)
    .sort((a, b) => a.level - b.level);
  const urban = (value: boolean | null) =>
    value === null ? '—' : value ? t('regions.urbanYes') : t('regions.urbanNo');

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7}>
        <TreePanel>
          <RegionTree
            selected={region.code}
            path={ancestors}
            onSelect={(next) => navigate(`/regions/${next}`)}
          />
        </TreePanel>
      </Col>
      <Col xs={24} lg={17}>
        <Breadcrumb
          style={{ marginBottom: 12 }}
          data-testid="region-breadcrumb"
          items={ancestors
            .filter((a) => a.level > 0)
            .map((a) => ({
              key: a.code,
              title:
                a.inScope && a.code !== region.code ? (
                  <Link to={`/regions/${a.code}`}>{a.name}</Link>
                ) : (
                  a.name
                ),
            }))}
        />
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="region-name">
            {region.name} <Tag>{levelName(t, region.level)}</Tag>
          </Typography.Title>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, md: 3 }}
            items={[
              { key: 'code', label: t('regions.code'), children: region.code },
              { key: 'urban', label: t('regions.urban'), children: urban(region.urban) },
              {
                key: 'childCount',
                label: t('regions.childCount'),
                children: region.childCount,
              },
            ]}
          />
          {/* With one level below, the counts only repeat 下级数量. */}
          {levels.length > 1 ? (
            <>
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 16 }}>
                {t('regions.countsByLevel')}
              </Typography.Text>
              <Row gutter={16} style={{ marginTop: 8 }}>
                {levels.map((entry) => (
                  <Col key={entry.level} xs={12} sm={6}>
                    <Statistic title={levelCountName(t, entry.level)} value={entry.count} />
                  </Col>
                ))}
              </Row>
            </>
          ) : null}
        </Card>
        {children.length > 0 && can('registry.read') ? <RegistryStats code={region.code} /> : null}
        {children.length > 0 ? <ChildrenTable rows={children} urban={urban} /> : null}
      </Col>
    </Row>
  );
}

/** Beside the detail on desktop; folded away on phones, where it would push the detail off the screen. */
function TreePanel({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  if (!screens.lg) {
    return (
      <Collapse
        size="small"
        items={[{ key: 'tree', label: t('regions.tree'), children }]}
        style={{ background: '#fff' }}
      />
    );
  }
  return (
    <Card title={t('regions.tree')} size="small" styles={{ body: { maxHeight: '70vh', overflow: 'auto' } }}>
      {children}
    </Card>
  );
}

function ChildrenTable({ rows, urban }: { rows: Region[]; urban: (value: boolean | null) => string }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('regions.childrenWithCount', { count: rows.length })}
      style={{ marginTop: 16 }}
      size="small"
    >
      <Table<Region>
        rowKey="code"
        size="small"
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        data-testid="children-table"
        columns={[
          {
            title: t('regions.name'),
            dataIndex: 'name',
            render: (name: string, row) => <Link to={`/regions/${row.code}`}>{name}</Link>,
          },
          { title: t('regions.code'), dataIndex: 'code', responsive: ['sm'] },
          { title: t('regions.level'), dataIndex: 'level', render: (level: number) => levelName(t, level) },
          {
            title: t('regions.urban'),
            dataIndex: 'urban',
            responsive: ['md'],
            render: (value: boolean | null) => urban(value),
          },
          { title: t('regions.childCount'), dataIndex: 'childCount', align: 'right' },
        ]}
      />
    </Card>
  );
}
