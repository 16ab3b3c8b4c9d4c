/** Who read a delegated result or an estate report, when, and what they did (the server logs each). */
import { Card, Table } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { departmentName, roleName } from '../../components/labels';
import type { AccessEntry } from './delegatedApi';

export function AccessLogCard(props: { load: () => Promise<AccessEntry[]>; deps: unknown[] }) {
  const { t } = useTranslation();
  const loaded = useLoad(props.load, props.deps);
  const c = (k: string) => t(`delegated.accessColumns.${k}`);
  return (
    <Card size="small" title={t('delegated.access')} data-testid="delegated-access">
      <Table<AccessEntry>
        size="small"
        rowKey="id"
        loading={loaded.loading}
        dataSource={loaded.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { key: 'at', title: c('at'), render: (_, a) => dayjs(a.accessedAt).format('YYYY-MM-DD HH:mm:ss') },
          { key: 'who', title: c('who'), dataIndex: 'actorName' },
          { key: 'role', title: c('role'), render: (_, a) => roleName(t, a.actorRole) },
          { key: 'dept', title: c('department'), render: (_, a) => departmentName(t, a.actorDepartment) },
          { key: 'action', title: c('action'), render: (_, a) => t(`delegated.accessActions.${a.action}`) },
        ]}
      />
    </Card>
  );
}
