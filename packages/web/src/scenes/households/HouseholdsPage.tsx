/** /households — households of the person's region subtree, filtered; paged on the server; masked values. */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Row, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CATEGORIES, type Category, type HouseholdSummary, listHouseholds } from './householdsApi';
import { CategoryTags } from './registryLabels';

const PAGE_SIZE = 20;
const TEXT_FILTERS = ['name', 'idNumber', 'phone'] as const;

export default function HouseholdsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  // Filters live in the address, so the back button from a household returns to the same list.
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('region') ?? undefined;
  const category = (params.get('category') as Category | null) ?? undefined;
  const text = Object.fromEntries(TEXT_FILTERS.map((key) => [key, params.get(key) || undefined]));
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? PAGE_SIZE) || PAGE_SIZE;

  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const list = useLoad(
    () => listHouseholds({ regionCode, category, ...text, page, pageSize }),
    [regionCode, category, text.name, text.idNumber, text.phone, page, pageSize],
  );
  if (list.error) return <ApiErrorPage error={list.error} />;

  return (
    <Card
      title={t('registry.list.title')}
      extra={
        can('registry.write') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/households/new')}
            data-testid="household-create"
          >
            {t('registry.list.create')}
          </Button>
        ) : null
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
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (nextPage, nextSize) => update({ page: nextPage, pageSize: nextSize }),
        }}
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
    </Card>
  );
}
