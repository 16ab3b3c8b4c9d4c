/**
 * /registry/access-log — for auditors: who revealed or exported whose personal data, when and
 * why. Filters (days, the user who looked, the person looked at) live in the address; paged on
 * the server. The person filter is an ID number typed in, or a person picked from a row.
 */
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, call, errorText } from '../../api/client';
import type { paths } from '../../api/generated/schema';
import { useLoad } from '../../api/useLoad';
import { afterChinaToday } from '../../components/chinaToday';
import { formatTime, roleName } from '../../components/labels';
import { useUrlFilters } from '../../components/useUrlFilters';
import { ApiErrorPage } from '../errors/ErrorPage';

type Entry =
  paths['/api/personal-data-access']['get']['responses'][200]['content']['application/json']['items'][number];

const PAGE_SIZE = 20;
const DAY = 'YYYY-MM-DD';

export default function AccessLogPage() {
  const { t, i18n } = useTranslation();
  const filters = useUrlFilters(PAGE_SIZE);
  const { update, page, pageSize } = filters;
  const from = filters.get('from');
  const to = filters.get('to');
  const actorId = filters.get('user');
  const personId = filters.get('person');
  const idNumber = filters.get('idNumber');

  const list = useLoad(
    () =>
      call(
        api.GET('/api/personal-data-access', {
          params: { query: { from, to, actorId, personId, idNumber, page, pageSize } },
        }),
      ),
    [from, to, actorId, personId, idNumber, page, pageSize],
  );
  // A filter the server refuses (a date typed into the address) is said above the table;
  // anything else (no permission, signed out) is the error page.
  if (list.error && !(list.error instanceof ApiError && list.error.status === 400))
    return <ApiErrorPage error={list.error} />;
  const items = list.data?.items ?? [];
  const personName = personId ? items.find((i) => i.personId === personId)?.personName : undefined;

  return (
    <Card title={t('registry.accessLog.title')}>
      <Typography.Paragraph type="secondary">{t('registry.accessLog.intro')}</Typography.Paragraph>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12} xl={8}>
          <DatePicker.RangePicker
            style={{ width: '100%' }}
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            allowEmpty={[true, true]}
            disabledDate={afterChinaToday}
            onChange={(range) => update({ from: range?.[0]?.format(DAY), to: range?.[1]?.format(DAY) })}
            aria-label={t('registry.accessLog.dateRange')}
            data-testid="filter-dates"
          />
        </Col>
        <Col xs={24} md={12} xl={7}>
          <UserSelect
            value={actorId}
            knownName={items.find((i) => i.actorId === actorId)?.actorName ?? undefined}
            onChange={(id) => update({ user: id })}
          />
        </Col>
        <Col xs={24} md={12} xl={9}>
          <Input.Search
            defaultValue={idNumber}
            placeholder={t('registry.accessLog.idNumber')}
            allowClear
            maxLength={18}
            autoComplete="off"
            onSearch={(value) => update({ idNumber: value.trim() })}
            data-testid="filter-idNumber"
          />
        </Col>
      </Row>
      {personId ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('registry.accessLog.filteredPerson', { name: personName ?? '' })}
          action={
            <Button size="small" onClick={() => update({ person: undefined })}>
              {t('registry.accessLog.clearPerson')}
            </Button>
          }
        />
      ) : null}
      {list.error ? (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(list.error)} />
      ) : null}
      <Table<Entry>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        data-testid="access-log-table"
        pagination={filters.pagination(list.data?.total, (total) => t('common.total', { count: total }))}
        columns={[
          {
            title: t('registry.accessLog.at'),
            dataIndex: 'at',
            render: (at: string) => formatTime(at, i18n.language),
          },
          {
            title: t('registry.accessLog.actor'),
            key: 'actor',
            render: (_, row) => (
              <Space size={4} wrap>
                <span>{row.actorName ?? row.actorId}</span>
                <Typography.Text type="secondary">{roleName(t, row.actorRole)}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('registry.accessLog.field'),
            dataIndex: 'field',
            render: (field: Entry['field']) => (
              <Tag color={field === 'export' ? 'orange' : 'blue'}>
                {t(`registry.accessLog.fields.${field}`)}
              </Tag>
            ),
          },
          {
            title: t('registry.accessLog.person'),
            key: 'person',
            render: (_, row) => <PersonCell row={row} onFilter={(id) => update({ person: id })} />,
          },
          { title: t('registry.accessLog.purpose'), dataIndex: 'purpose' },
        ]}
      />
    </Card>
  );
}

function PersonCell({ row, onFilter }: { row: Entry; onFilter(personId: string): void }) {
  const { t } = useTranslation();
  if (row.field === 'export') {
    const detail = (row.detail ?? {}) as { rows?: number; reveal?: boolean };
    return (
      <Typography.Text type="secondary">
        {t('registry.accessLog.exportDetail', {
          rows: detail.rows ?? 0,
          masked: t(detail.reveal ? 'registry.accessLog.exportRevealed' : 'registry.accessLog.exportMasked'),
        })}
      </Typography.Text>
    );
  }
  if (!row.personId) return <>—</>;
  const personId = row.personId;
  return (
    <Space size={8} wrap>
      <Link to={`/persons/${personId}`} data-testid="access-log-person">
        {row.personName ?? '—'}
      </Link>
      <Typography.Text type="secondary">{row.idNumberMasked}</Typography.Text>
      <Button size="small" type="link" onClick={() => onFilter(personId)}>
        {t('registry.accessLog.personFilter')}
      </Button>
    </Space>
  );
}

/** Users of the auditor's region, searched by name on the server. */
function UserSelect({
  value,
  knownName,
  onChange,
}: {
  value: string | undefined;
  knownName: string | undefined;
  onChange(id: string | undefined): void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const users = useLoad(
    () =>
      call(
        api.GET('/api/users', { params: { query: { search: search || undefined, page: 1, pageSize: 50 } } }),
      ),
    [search],
  );
  const options = (users.data?.items ?? []).map((u) => ({
    value: u.id,
    label: `${u.displayName}（${u.username}）`,
  }));
  // The chosen user may not be on the searched page: keep its name shown.
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: knownName ?? value });
  return (
    <Select
      value={value}
      onChange={(id: string | undefined) => onChange(id)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={users.loading}
      placeholder={t('registry.accessLog.userPlaceholder')}
      style={{ width: '100%' }}
      options={options}
      aria-label={t('registry.accessLog.user')}
      data-testid="filter-user"
    />
  );
}
