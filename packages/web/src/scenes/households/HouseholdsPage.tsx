/** /households — households of the person's region subtree, filtered; paged on the server; masked values. */
import { Col, Input, Row, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ListCard } from '../../components/ListCard';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { useUrlFilters } from '../../components/useUrlFilters';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CATEGORIES, type Category, type HouseholdSummary, listHouseholds } from './householdsApi';
import { CategoryTags } from './registryLabels';

const PAGE_SIZE = 20;
const TEXT_FILTERS = ['name', 'idNumber', 'phone'] as const;
const MAX_PAGED = 10_000;

export default function HouseholdsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const filters = useUrlFilters(PAGE_SIZE);
  const { update, page, pageSize } = filters;
  const regionCode = filters.get('region');
  const category = filters.get('category') as Category | undefined;
  const text = Object.fromEntries(TEXT_FILTERS.map((key) => [key, filters.get(key)]));

  const list = useLoad(
    () => listHouseholds({ regionCode, category, ...text, page, pageSize }),
    [regionCode, category, text.name, text.idNumber, text.phone, page, pageSize],
  );
  if (list.error) return <ApiErrorPage error={list.error} />;
  const totalText = (data: { total: number; totalCapped?: boolean } | undefined) => {
    const count = (data?.total ?? 0).toLocaleString();
    if (data?.totalCapped) return t('registry.list.totalCapped', { count });
    if ((data?.total ?? 0) > MAX_PAGED)
      return t('registry.list.totalBeyondPages', { count, pages: MAX_PAGED.toLocaleString() });
    return t('common.total', { count: data?.total ?? 0 });
  };

  return (
    <ListCard
      title={t('registry.list.title')}
      create={
        can('registry.write')
          ? { label: t('registry.list.create'), to: '/households/new', testId: 'household-create' }
          : undefined
      }
    >
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12} xl={6}>
          <RegionTreeSelect
            value={regionCode}
            onChange={(code) => update({ region: code })}
            placeholder={t('registry.list.filterRegion')}
            allowClear
          />
        </Col>
        <Col xs={24} md={12} xl={4}>
          <Select<Category>
            value={category}
            onChange={(value) => update({ category: value })}
            allowClear
            placeholder={t('registry.list.filterCategory')}
            style={{ width: '100%' }}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`registry.categories.${c}`) }))}
            data-testid="filter-category"
          />
        </Col>
        {TEXT_FILTERS.map((key) => (
          <Col key={key} xs={24} md={8} xl={key === 'idNumber' ? 6 : 4}>
            <Input.Search
              defaultValue={text[key]}
              placeholder={t(`registry.list.${key}`)}
              allowClear
              onSearch={(value) => update({ [key]: value.trim() })}
              data-testid={`filter-${key}`}
            />
          </Col>
        ))}
      </Row>
      <Table<HouseholdSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="households-table"
        onRow={(row) => ({ onClick: () => navigate(`/households/${row.id}`), style: { cursor: 'pointer' } })}
        pagination={filters.pagination(
          // Page numbers reach the first 10,000 households (the server refuses deeper offsets).
          Math.min(list.data?.total ?? 0, MAX_PAGED),
          () => totalText(list.data),
        )}
        columns={[
          {
            title: t('registry.list.head'),
            dataIndex: 'headName',
            render: (name: string | null, row) => (
              <Link
                to={`/households/${row.id}`}
                onClick={(event) => event.stopPropagation()}
                data-testid="household-link"
              >
                {name ?? '—'}
              </Link>
            ),
          },
          { title: t('registry.list.householdNumber'), dataIndex: 'householdNumber', responsive: ['sm'] },
          { title: t('registry.list.idNumber'), dataIndex: 'idNumberMasked', responsive: ['md'] },
          { title: t('registry.list.village'), dataIndex: 'regionName' },
          { title: t('registry.list.members'), dataIndex: 'memberCount', align: 'right', responsive: ['sm'] },
          {
            title: t('registry.list.categories'),
            dataIndex: 'categories',
            render: (categories: Category[]) => <CategoryTags categories={categories ?? []} />,
          },
        ]}
      />
    </ListCard>
  );
}
