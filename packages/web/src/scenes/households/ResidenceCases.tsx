/**
 * The hukou township's view of its household's applications taken where the household lives
 * (居住地申办): which township handles them, the step and the time limit. Read-only: the cases are the
 * residence township's work. Shown only when there are some.
 */
import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useLoad } from '../../api/useLoad';

export function ResidenceCases({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const loaded = useLoad(
    () =>
      call(api.GET('/api/intake/households/{id}/residence-cases', { params: { path: { id: householdId } } })),
    [householdId],
  );
  const rows = loaded.data ?? [];
  if (!rows.length) return null;
  return (
    <Card title={t('registry.household.residenceCases')} size="small" data-testid="residence-cases">
      <Table
        rowKey="caseId"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('registry.household.residencePolicy'), dataIndex: 'policyId' },
          {
            title: t('registry.household.residenceHandledBy'),
            render: (_, r) => r.regionName ?? r.regionCode,
          },
          { title: t('registry.household.residenceReceived'), dataIndex: 'receivedOn' },
          { title: t('registry.household.residenceDue'), dataIndex: 'caseDueOn' },
          {
            title: t('registry.household.residenceStatus'),
            render: (_, r) => (
              <Tag color={r.status === 'open' ? 'blue' : 'default'}>{t(`intake.status.${r.status}`)}</Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}
