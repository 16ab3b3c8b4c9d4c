/**
 * /alerts — 监测预警: the alerts in scope, overdue and red first, filtered by status, colour, "my
 * queue" and overdue; a drawer to act on one; doors to the dashboard and the raise form.
 */
import { App, Button, Card, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { AlertDrawer } from './AlertDrawer';
import { AlertReminders } from './AlertReminders';
import { type Alert, type AlertQuery, COLOUR_TAG, DUE_TAG, listAlerts, sweep } from './alertsApi';

const STATUSES = ['raised', 'dispatched', 'accepted', 'handling', 'feedback', 'closed'] as const;
const COLOURS = ['red', 'yellow', 'blue', 'green'] as const;

/** Residents may raise but not read the list: the menu's door takes them to the form. */
export default function AlertsPage() {
  const can = useCan();
  if (!can('monitoring.read')) return <Navigate to="/alerts/raise" replace />;
  return <AlertList />;
}

function AlertList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const opened = params.get('alert');
  const [view, setView] = useState<'all' | 'mine' | 'overdue'>('mine');
  const [status, setStatus] = useState<AlertQuery['status']>();
  const [colour, setColour] = useState<AlertQuery['colour']>();
  const [page, setPage] = useState(1);
  const [reloadKey, setReloadKey] = useState(0);
  const list = useLoad(
    () =>
      listAlerts({
        page,
        pageSize: 20,
        status,
        colour,
        ...(view === 'mine' ? { mine: true } : {}),
        ...(view === 'overdue' ? { overdue: true } : {}),
      }),
    [page, status, colour, view],
  );
  if (list.error) return <ApiErrorPage error={list.error} />;
  const dept = (d: string | null) => (d ? t(`alerts.department.${d}`, { defaultValue: d }) : '—');

  async function runSweep() {
    try {
      const result = await sweep();
      message.success(`${t('alerts.swept', result)}；${t('alerts.sweptHandling', result)}`);
      list.reload();
      setReloadKey((k) => k + 1);
    } catch (error) {
      message.error(errorText(error));
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('alerts.title')}
        </Typography.Title>
        <Space wrap>
          {can('alert.raise') ? (
            <Link to="/alerts/raise">
              <Button type="primary" data-testid="open-raise">
                {t('alerts.raise')}
              </Button>
            </Link>
          ) : null}
          <Link to="/alerts/dashboard">
            <Button data-testid="open-dashboard">{t('alerts.dashboard')}</Button>
          </Link>
          {can('monitoring.run') ? (
            <Button onClick={runSweep} data-testid="run-sweep">
              {t('alerts.sweep')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <Typography.Text type="secondary">{t('alerts.hint')}</Typography.Text>
      <AlertReminders onOpen={(id) => setParams({ alert: id })} reloadKey={reloadKey} />
      <Card size="small">
        <Space wrap>
          <Segmented
            value={view}
            onChange={(v) => {
              setView(v as typeof view);
              setPage(1);
            }}
            options={(['mine', 'overdue', 'all'] as const).map((v) => ({
              value: v,
              label: t(`alerts.filters.${v}`),
            }))}
            data-testid="alert-view"
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('alerts.filters.status')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={STATUSES.map((s) => ({ value: s, label: t(`alerts.status.${s}`) }))}
          />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('alerts.filters.colour')}
            value={colour}
            onChange={(v) => {
              setColour(v);
              setPage(1);
            }}
            options={COLOURS.map((c) => ({ value: c, label: t(`alerts.colour.${c}`) }))}
          />
        </Space>
      </Card>
      <Table<Alert>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('alerts.empty') }}
        scroll={{ x: 900 }}
        onRow={(row) => ({ onClick: () => setParams({ alert: row.id }), style: { cursor: 'pointer' } })}
        data-testid="alert-table"
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('alerts.columns.colour'),
            dataIndex: 'colour',
            width: 70,
            render: (c: string) => <Tag color={COLOUR_TAG[c]}>{t(`alerts.colour.${c}`)}</Tag>,
          },
          {
            title: t('alerts.columns.household'),
            key: 'household',
            render: (_: unknown, a: Alert) =>
              a.householdNumber ? (
                <span>
                  {a.headName} <Typography.Text type="secondary">{a.householdNumber}</Typography.Text>
                </span>
              ) : (
                <Typography.Text type="secondary">{a.raisedByName ?? t('alerts.candidate')}</Typography.Text>
              ),
          },
          { title: t('alerts.columns.region'), dataIndex: 'regionName', width: 140 },
          {
            title: t('alerts.columns.cause'),
            key: 'cause',
            render: (_: unknown, a: Alert) => (
              <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                {a.requestCategory
                  ? `${t(`alerts.category.${a.requestCategory}`)} · ${a.requestText ?? ''}`
                  : `${t(`monitoring.causes.${a.cause.replace(':', '_')}`, { defaultValue: a.causeZh })} · ${a.summaryZh}`}
              </Typography.Text>
            ),
          },
          {
            title: t('alerts.columns.status'),
            key: 'status',
            width: 150,
            render: (_: unknown, a: Alert) => (
              <Space size={4} wrap>
                <Tag>{t(`alerts.status.${a.status}`)}</Tag>
                {a.overdue ? <Tag color="red">{t('alerts.overdue')}</Tag> : null}
                {a.escalationLevel > 0 && a.status !== 'closed' ? (
                  <Tag color="volcano">{t('alerts.escalated', { level: a.escalationLevel })}</Tag>
                ) : null}
                {a.handleEscalationLevel > 0 && a.status !== 'closed' ? (
                  <Tag color="magenta" data-testid="handle-escalated">
                    {t('alerts.handleEscalated', { level: a.handleEscalationLevel })}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
          { title: t('alerts.columns.lead'), dataIndex: 'leadDepartment', width: 110, render: dept },
          {
            title: t('alerts.columns.due'),
            key: 'due',
            width: 170,
            render: (_: unknown, a: Alert) =>
              a.status === 'dispatched' ? (
                t('alerts.acceptBy', { date: a.acceptDueOn })
              ) : a.handleDueStatus ? (
                <Tag
                  color={DUE_TAG[a.handleDueStatus]}
                  title={`${t(`alerts.handleDue.${a.handleDueStatus}`)} · ${t('alerts.handleUsed', {
                    used: a.handleUsedWorkingDays,
                    total: a.handleWorkingDays,
                  })}`}
                  data-testid={`handle-due-${a.handleDueStatus}`}
                >
                  {t('alerts.handleBy', { date: a.handleDueOn })}
                </Tag>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {opened ? <AlertDrawer id={opened} onClose={() => setParams({})} onChanged={list.reload} /> : null}
    </Space>
  );
}
