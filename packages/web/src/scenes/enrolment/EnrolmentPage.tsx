/**
 * /enrolment — enrolled households by next review date, and the open tasks (reviews due, re-checks
 * after a death, changes waiting for a second officer); a drawer per household to act.
 */
import { Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { ApiErrorPage } from '../errors/ErrorPage';
import { yuan } from '../resident/residentApi';
import { EnrolmentDrawer } from './EnrolmentDrawer';
import { type Enrolment, type EnrolmentTask, listEnrolments, listTasks } from './enrolmentApi';

type Status = 'active' | 'phaseOut' | 'stopped';

export default function EnrolmentPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status | undefined>('active');
  const [page, setPage] = useState(1);
  const [opened, setOpened] = useState<string | null>(null);
  const list = useLoad(() => listEnrolments(status, page), [status, page]);
  const tasks = useLoad(() => listTasks(), []);
  if (list.error) return <ApiErrorPage error={list.error} />;
  const close = () => {
    setOpened(null);
    list.reload();
    tasks.reload();
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('enrolment.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('enrolment.hint')}</Typography.Text>
      <Card size="small" title={t('enrolment.tasks')} data-testid="enrolment-tasks">
        <Table<EnrolmentTask>
          size="small"
          rowKey="id"
          pagination={false}
          loading={tasks.loading}
          dataSource={tasks.data ?? []}
          locale={{ emptyText: t('enrolment.noTasks') }}
          onRow={(task) => ({ onClick: () => setOpened(task.enrolmentId), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('enrolment.columns.kind'),
              render: (_, task) => <Tag color="blue">{t(`enrolment.kind.${task.kind}`)}</Tag>,
            },
            { title: t('enrolment.columns.household'), dataIndex: 'householdNumber' },
            {
              title: t('enrolment.columns.category'),
              render: (_, task) => (task.category ? t(`resident.category.${task.category}`) : ''),
            },
            { title: t('enrolment.columns.dueOn'), dataIndex: 'dueOn' },
            { title: t('enrolment.columns.requestedBy'), dataIndex: 'requestedByName' },
            { title: t('enrolment.columns.reason'), dataIndex: 'reason', ellipsis: true },
          ]}
        />
      </Card>
      <Segmented
        value={status ?? 'all'}
        onChange={(v) => {
          setStatus(v === 'all' ? undefined : (v as Status));
          setPage(1);
        }}
        options={[
          { value: 'active', label: t('resident.enrolmentStatus.active') },
          { value: 'phaseOut', label: t('resident.enrolmentStatus.phaseOut') },
          { value: 'stopped', label: t('resident.enrolmentStatus.stopped') },
          { value: 'all', label: t('notices.filterAll') },
        ]}
      />
      <Table<Enrolment>
        rowKey="id"
        data-testid="enrolment-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        onRow={(e) => ({ onClick: () => setOpened(e.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('enrolment.columns.household'), dataIndex: 'householdNumber' },
          { title: t('enrolment.columns.head'), dataIndex: 'headName' },
          { title: t('enrolment.columns.category'), render: (_, e) => t(`resident.category.${e.category}`) },
          {
            title: t('enrolment.columns.amount'),
            render: (_, e) =>
              e.monthlyAmountFen === null ? t('resident.portal.amountPending') : yuan(e.monthlyAmountFen),
          },
          { title: t('enrolment.columns.startsOn'), dataIndex: 'startsOn' },
          { title: t('enrolment.columns.nextReview'), dataIndex: 'nextReviewOn' },
          {
            title: t('enrolment.columns.status'),
            render: (_, e) => <Tag>{t(`resident.enrolmentStatus.${e.status}`)}</Tag>,
          },
          {
            title: t('enrolment.columns.openTasks'),
            render: (_, e) => (e.openTasks ? <Tag color="orange">{e.openTasks}</Tag> : 0),
          },
        ]}
      />
      {opened ? <EnrolmentDrawer id={opened} onClose={close} /> : null}
    </Space>
  );
}
