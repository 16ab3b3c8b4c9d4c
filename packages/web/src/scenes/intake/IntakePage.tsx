/**
 * /intake — the caseworker's workbench of one-door intake: overdue and due-soon counts per township
 * and office, the cases in scope by due date with their clocks, and a drawer to act on one.
 */
import { Alert, Button, Card, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useAccount, useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CaseDrawer } from './CaseDrawer';
import { ApplicationCases, VisitsAwaitingMe } from './IntakeCards';
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
  const account = useAccount();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const application = params.get('application');
  // The department inbox and the county queue are the same list filtered by the office acting now.
  const tabs = [
    { key: 'mine', office: undefined },
    ...(account.role === 'departmentOfficer' ? [{ key: 'department', office: 'department' as const }] : []),
    ...(account.role === 'countyOfficer'
      ? [
          { key: 'staffRelatives', office: undefined, flag: 'staffRelative' as const },
          { key: 'county', office: 'county' as const },
        ]
      : []),
  ];
  const [tab, setTab] = useState(tabs[tabs.length - 1]?.key ?? 'mine');
  const office = tabs.find((x) => x.key === tab)?.office;
  const flag = tabs.find((x) => x.key === tab && 'flag' in x) ? ('staffRelative' as const) : undefined;
  const [dueStatus, setDueStatus] = useState<CaseFilters['dueStatus']>();
  const [page, setPage] = useState(1);
  const [opened, setOpened] = useState<string>();
  const cases = useLoad(
    () => listCases({ dueStatus, office, flag, status: office ? 'open' : undefined, page, pageSize: 20 }),
    [dueStatus, office, flag, page],
  );
  const lists = useLoad(() => overdue(), []);
  const en = i18n.language === 'en';
  if (cases.error) return <ApiErrorPage error={cases.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('intake.title')}
        </Typography.Title>
        {can('intake.submit') && account.role !== 'resident' ? (
          <Link to="/intake/new">
            <Button type="primary" data-testid="open-wizard">
              {t('intake.wizard.open')}
            </Button>
          </Link>
        ) : null}
      </Space>
      <Typography.Text type="secondary">{t('intake.hint')}</Typography.Text>
      {application ? (
        <ApplicationCases id={application} onOpen={setOpened} onClear={() => setParams({})} />
      ) : null}
      <VisitsAwaitingMe />
      {tabs.length > 1 ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            setTab(key);
            setPage(1);
          }}
          items={tabs.map((x) => ({ key: x.key, label: t(`intake.tabs.${x.key}`) }))}
        />
      ) : null}
      {office || flag ? (
        <Typography.Text type="secondary">{t(`intake.tabs.${tab}Hint`)}</Typography.Text>
      ) : null}
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
          {
            title: t('intake.columns.policy'),
            render: (_, c) => (
              <Space size={4}>
                {en ? c.policyNameEn : c.policyName}
                {c.flags.includes('spotCheck') ? (
                  <Tag color="purple" data-testid="spot-check">
                    {t('intake.tabs.spotCheck')}
                  </Tag>
                ) : null}
                {c.flags.includes('staffRelative') ? (
                  <Tag color="orange">{t('intake.tabs.staffRelativeTag')}</Tag>
                ) : null}
              </Space>
            ),
          },
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
