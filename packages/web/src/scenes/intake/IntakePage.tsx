/**
 * /intake — the caseworker's workbench of one-door intake: overdue and due-soon counts per township
 * and office, the cases in scope by due date with their clocks, and a drawer to act on one.
 */
import { Alert, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CaseDrawer } from './CaseDrawer';
import { type CaseFilters, type IntakeCase, listCases, overdue } from './intakeApi';

export const DUE_COLOR = { green: 'green', yellow: 'gold', red: 'red' } as const;
type Due = keyof typeof DUE_COLOR;

export function DueTag({ status }: { status: string | undefined }) {
  const { t } = useTranslation();
  if (!status) return null;
  return <Tag color={DUE_COLOR[status as Due]}>{t(`intake.due.${status}`)}</Tag>;
}

export default function IntakePage() {
  const { t, i18n } = useTranslation();
  const [dueStatus, setDueStatus] = useState<CaseFilters['dueStatus']>();
  const [page, setPage] = useState(1);
  const [opened, setOpened] = useState<string>();
  const cases = useLoad(() => listCases({ dueStatus, page, pageSize: 20 }), [dueStatus, page]);
  const lists = useLoad(() => overdue(), []);
  const en = i18n.language === 'en';
  if (cases.error) return <ApiErrorPage error={cases.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('intake.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('intake.hint')}</Typography.Text>
      <Card size="small" title={t('intake.overdueTitle')} data-testid="overdue-card">
        {lists.data?.groups.length ? (
          <Space orientation="vertical" size={2}>
            {lists.data.groups.map((g) => (
              <Typography.Text key={`${g.townshipCode}-${g.office}-${g.department ?? ''}`}>
                {t('intake.groupLine', {
                  township: g.townshipName ?? g.townshipCode,
                  office: t(`intake.office.${g.office}`),
                  red: g.red,
                  yellow: g.yellow,
                })}
              </Typography.Text>
            ))}
          </Space>
        ) : (
          <Alert type="success" title={t('intake.noOverdue')} showIcon />
        )}
      </Card>
      <Segmented
        value={dueStatus ?? 'all'}
        onChange={(value) => {
          setDueStatus(value === 'all' ? undefined : (value as Due));
          setPage(1);
        }}
        options={[
          { value: 'all', label: t('intake.filterAll') },
          ...(['red', 'yellow', 'green'] as const).map((d) => ({ value: d, label: t(`intake.due.${d}`) })),
        ]}
      />
      <Table<IntakeCase>
        rowKey="id"
        size="middle"
        loading={cases.loading}
        dataSource={cases.data?.items ?? []}
        onRow={(row) => ({ onClick: () => setOpened(row.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: 20,
          total: cases.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('intake.columns.policy'), render: (_, c) => (en ? c.policyNameEn : c.policyName) },
          {
            title: t('intake.columns.step'),
            render: (_, c) => (c.currentStep ? (en ? c.currentStep.nameEn : c.currentStep.name) : '—'),
          },
          {
            title: t('intake.columns.office'),
            render: (_, c) => (c.currentStep ? t(`intake.office.${c.currentStep.office}`) : '—'),
          },
          {
            title: t('intake.columns.dueOn'),
            render: (_, c) =>
              c.currentStep?.clock ? (
                <Space size={4}>
                  {c.currentStep.clock.dueOn}
                  <DueTag status={c.currentStep.clock.dueStatus} />
                </Space>
              ) : (
                '—'
              ),
          },
          { title: t('intake.columns.status'), render: (_, c) => t(`intake.status.${c.status}`) },
          { title: t('intake.columns.received'), dataIndex: 'receivedOn' },
        ]}
      />
      {opened ? (
        <CaseDrawer
          id={opened}
          onClose={() => setOpened(undefined)}
          onChanged={() => {
            cases.reload();
            lists.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
