/** /users — the users of the person's region, filtered by region, role and name; paged on the server. */
import { Col, Input, Row, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type Role, type User } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ListCard } from '../../components/ListCard';
import { departmentName, ROLES, roleName } from '../../components/labels';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { useUrlFilters } from '../../components/useUrlFilters';
import { ApiErrorPage } from '../errors/ErrorPage';
import { UserStatus } from './UserStatus';

const PAGE_SIZE = 20;

export default function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const filters = useUrlFilters(PAGE_SIZE);
  const { update, page, pageSize } = filters;
  const regionCode = filters.get('region');
  const role = filters.get('role') as Role | undefined;
  const search = filters.get('search');

  const list = useLoad(
    () =>
      call(
        api.GET('/api/users', {
          params: { query: { regionCode, role, search: search || undefined, page, pageSize } },
        }),
      ),
    [regionCode, role, search, page, pageSize],
  );
  if (list.error) return <ApiErrorPage error={list.error} />;

  return (
    <ListCard
      title={t('users.title')}
      create={
        can('user.manage') ? { label: t('users.create'), to: '/users/new', testId: 'user-create' } : undefined
      }
    >
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <RegionTreeSelect
            value={regionCode}
            onChange={(code) => update({ region: code })}
            placeholder={t('users.filterRegion')}
            allowClear
          />
        </Col>
        <Col xs={24} md={6}>
          <Select<Role>
            value={role}
            onChange={(value) => update({ role: value })}
            allowClear
            placeholder={t('users.filterRole')}
            style={{ width: '100%' }}
            options={ROLES.map((r) => ({ value: r, label: roleName(t, r) }))}
            data-testid="filter-role"
          />
        </Col>
        <Col xs={24} md={10}>
          <Input.Search
            defaultValue={search}
            placeholder={t('users.searchPlaceholder')}
            allowClear
            enterButton={t('common.search')}
            onSearch={(value) => update({ search: value.trim() })}
            data-testid="filter-search"
          />
        </Col>
      </Row>
      <Table<User>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="users-table"
        pagination={filters.pagination(list.data?.total, (total) => t('common.total', { count: total }))}
        columns={[
          {
            title: t('users.displayName'),
            dataIndex: 'displayName',
            render: (name: string, user) => (
              <Link to={`/users/${user.id}`} data-testid="user-link">
                {name}
              </Link>
            ),
          },
          { title: t('users.username'), dataIndex: 'username', responsive: ['sm'] },
          { title: t('users.role'), dataIndex: 'role', render: (value: Role) => roleName(t, value) },
          { title: t('users.region'), dataIndex: 'regionName', responsive: ['md'] },
          {
            title: t('users.department'),
            dataIndex: 'department',
            responsive: ['lg'],
            render: (value: string | null) => departmentName(t, value),
          },
          { title: t('users.status'), key: 'status', render: (_, user) => <UserStatus user={user} /> },
        ]}
      />
    </ListCard>
  );
}
