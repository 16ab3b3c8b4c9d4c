/** The audit entries about one household; only rendered for accounts holding audit.read. */
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { formatTime, roleName } from '../../components/labels';

export function HouseholdAudit({ householdId }: { householdId: string }) {
  const { t, i18n } = useTranslation();
  const entries = useLoad(
    () =>
      call(
        api.GET('/api/audit', {
          params: { query: { entityType: 'household', entityId: householdId, limit: 50 } },
        }),
      ),
    [householdId],
  );
  return (
    <Table
      rowKey="seq"
      size="small"
      loading={entries.loading}
      dataSource={entries.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="household-audit"
      columns={[
        {
          title: t('registry.audit.at'),
          dataIndex: 'at',
          render: (at: string) => formatTime(at, i18n.language),
        },
        {
          title: t('registry.audit.action'),
          dataIndex: 'action',
          render: (action: string) => t(`audit.actions.${action}`, { defaultValue: action }),
        },
        {
          title: t('registry.audit.actor'),
          dataIndex: 'actorRole',
          render: (role: string | null) => roleName(t, role),
        },
      ]}
    />
  );
}
