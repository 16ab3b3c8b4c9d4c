/**
 * /monitoring — 动态监测: the runs (incremental after each import, the monthly full re-screen) with
 * their progress, a button to start a full re-screen, the alerts raised from data, and the
 * calibration of the warning lines on sample villages. Dispatch and handling are on the alerts pages.
 */
import { Alert, Button, Card, Progress, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CalibrationCard } from './CalibrationCard';
import { listAlerts, listRuns, type MonitoringAlert, type MonitoringRun, resumeRun } from './monitoringApi';
import { StartMonitoringDialog } from './StartMonitoringDialog';

export const COLOUR_TAG: Record<string, string> = {
  red: 'red',
  yellow: 'gold',
  blue: 'blue',
  green: 'green',
  unknown: 'default',
};
const STATUS_TAG = { running: 'processing', completed: 'success', failed: 'error' } as const;

function RunProgress({ run }: { run: MonitoringRun }) {
  const { t } = useTranslation();
  const total = run.householdsTotal ?? 0;
  const percent =
    total > 0
      ? Math.min(100, Math.floor((run.householdsDone / total) * 100))
      : run.status === 'completed'
        ? 100
        : 0;
  return (
    <Space orientation="vertical" size={0} style={{ width: 180 }}>
      <Progress
        percent={percent}
        size="small"
        status={run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : 'active'}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('monitoring.progress', { done: run.householdsDone, total })}
      </Typography.Text>
    </Space>
  );
}

function Colours({ counts }: { counts: Record<string, number> }) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      {['red', 'yellow', 'blue', 'green', 'unknown']
        .filter((c) => counts[c])
        .map((c) => (
          <Tag key={c} color={COLOUR_TAG[c]}>
            {t(`monitoring.colour.${c}`)} {counts[c]}
          </Tag>
        ))}
    </Space>
  );
}

export default function MonitoringPage() {
  const { t } = useTranslation();
  const canRun = useCan()('monitoring.run');
  const [starting, setStarting] = useState(false);
  const [colour, setColour] = useState<string>('all');
  const [page, setPage] = useState(1);
  const runs = useLoad(() => listRuns(), []);
  const alerts = useLoad(
    () =>
      listAlerts({
        page,
        pageSize: 10,
        ...(colour === 'all' ? {} : { colour: colour as 'red' | 'yellow' | 'blue' | 'green' }),
      }),
    [page, colour],
  );
  const running = runs.data?.items.some((r) => r.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => runs.reload(), 2000);
    return () => clearInterval(timer);
  }, [running, runs.reload]);

  if (runs.error) return <ApiErrorPage error={runs.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="monitoring-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('monitoring.title')}
        </Typography.Title>
        {canRun ? (
          <Button type="primary" onClick={() => setStarting(true)} data-testid="monitoring-start">
            {t('monitoring.start')}
          </Button>
        ) : null}
      </Space>
      <Alert type="info" showIcon title={t('monitoring.intro')} />
      <Card title={t('monitoring.runs')} size="small">
        <Table<MonitoringRun>
          rowKey="id"
          size="small"
          loading={runs.loading && !runs.data}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('monitoring.noRun') }}
          columns={[
            {
              title: t('monitoring.kindColumn'),
              key: 'kind',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{t(`monitoring.kind.${r.kind}`)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.regionCode} · {r.asOf}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('monitoring.alertStatus'),
              key: 'status',
              render: (_, r) => (
                <Tag
                  color={STATUS_TAG[r.status as keyof typeof STATUS_TAG]}
                  data-testid="monitoring-run-status"
                >
                  {t(`monitoring.status.${r.status}`)}
                </Tag>
              ),
            },
            { title: '', key: 'progress', render: (_, r) => <RunProgress run={r} /> },
            { title: t('monitoring.raised'), dataIndex: 'alertsRaised', align: 'right' },
            { title: t('monitoring.updated'), dataIndex: 'alertsUpdated', align: 'right' },
            { title: t('monitoring.hits'), dataIndex: 'triggerHits', align: 'right' },
            {
              title: t('monitoring.colours'),
              key: 'colours',
              render: (_, r) => <Colours counts={r.colourCounts} />,
            },
            { title: t('monitoring.startedBy'), dataIndex: 'startedBy' },
            {
              title: '',
              key: 'actions',
              render: (_, r) =>
                canRun && r.status === 'failed' ? (
                  <Button size="small" onClick={() => resumeRun(r.id).then(runs.reload)}>
                    {t('monitoring.resume')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card
        title={t('monitoring.alerts')}
        size="small"
        extra={
          <Segmented
            value={colour}
            onChange={(v) => {
              setColour(String(v));
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('monitoring.allColours') },
              ...['red', 'yellow', 'blue'].map((c) => ({ value: c, label: t(`monitoring.colour.${c}`) })),
            ]}
          />
        }
      >
        <Table<MonitoringAlert>
          rowKey="id"
          size="small"
          loading={alerts.loading}
          dataSource={alerts.data?.items ?? []}
          scroll={{ x: 800 }}
          locale={{ emptyText: t('monitoring.noAlert') }}
          pagination={{
            current: page,
            pageSize: 10,
            total: alerts.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          columns={[
            {
              title: '',
              key: 'colour',
              width: 70,
              render: (_, a) => <Tag color={COLOUR_TAG[a.colour]}>{t(`monitoring.colour.${a.colour}`)}</Tag>,
            },
            {
              title: t('monitoring.summary'),
              key: 'summary',
              render: (_, a) => (
                <Space orientation="vertical" size={0}>
                  <span data-testid="monitoring-alert-summary">{a.summaryZh}</span>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    data-testid="monitoring-alert-meta"
                  >
                    {t(`monitoring.causes.${a.cause.replace(':', '_')}`, { defaultValue: a.cause })} ·{' '}
                    {a.regionCode}
                    {a.candidate ? ` · ${t('monitoring.candidate')}` : ''}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('monitoring.raiseCount'), dataIndex: 'raiseCount', align: 'right', width: 90 },
            {
              title: t('monitoring.alertStatus'),
              key: 'status',
              width: 100,
              render: (_, a) => t(`monitoring.alertStatusLabel.${a.status}`, { defaultValue: a.status }),
            },
          ]}
        />
      </Card>
      {canRun ? <CalibrationCard /> : null}
      {starting ? (
        <StartMonitoringDialog
          onClose={() => setStarting(false)}
          onStarted={() => {
            setStarting(false);
            runs.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
