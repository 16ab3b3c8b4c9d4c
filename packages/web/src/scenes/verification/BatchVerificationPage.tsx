/**
 * /verification/batch — 批量核对: start a run (all enrolled households or a list), its progress
 * while it runs, the run history, and the changes found with filters and an acknowledge button for
 * the household's caseworker.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FormDialog } from '../../components/FormDialog';
import { ApiErrorPage } from '../errors/ErrorPage';
import {
  acknowledgeChange,
  type BatchChange,
  type BatchRun,
  CHANGE_KINDS,
  listBatchRuns,
  listChanges,
  resumeBatchRun,
} from './batchApi';
import { StartBatchDialog } from './StartBatchDialog';

const STATUS_TAG = { running: 'processing', completed: 'success', failed: 'error' } as const;
const KIND_TAG: Record<string, string> = {
  newVehicle: 'volcano',
  newProperty: 'orange',
  depositIncrease: 'gold',
  death: 'default',
  newBusiness: 'purple',
  newFlag: 'red',
};

function RunProgress({ run }: { run: BatchRun }) {
  const { t } = useTranslation();
  const total = run.householdsTotal ?? 0;
  const percent =
    total > 0
      ? Math.min(100, Math.floor((run.householdsDone / total) * 100))
      : run.status === 'completed'
        ? 100
        : 0;
  return (
    <Space orientation="vertical" size={0} style={{ width: 200 }}>
      <Progress
        percent={percent}
        size="small"
        status={run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : 'active'}
        data-testid="batch-progress"
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('verificationBatch.progress', { done: run.householdsDone, total })}
      </Typography.Text>
    </Space>
  );
}

export default function BatchVerificationPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const canRun = can('verification.batch');
  const canAcknowledge = can('verification.reconcile') || canRun;
  const [starting, setStarting] = useState(false);
  const [acknowledging, setAcknowledging] = useState<BatchChange | null>(null);
  const [status, setStatus] = useState<'open' | 'acknowledged' | 'all'>('open');
  const [kind, setKind] = useState<(typeof CHANGE_KINDS)[number] | 'all'>('all');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const runs = useLoad(() => listBatchRuns(), []);
  const changes = useLoad(
    () =>
      listChanges({
        page,
        pageSize: 10,
        ...(status === 'all' ? {} : { status }),
        ...(kind === 'all' ? {} : { kind }),
        ...(mine ? { mine: true } : {}),
      }),
    [page, status, kind, mine],
  );
  const running = runs.data?.items.some((r) => r.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => runs.reload(), 1500);
    return () => clearInterval(timer);
  }, [running, runs.reload]);
  // When a run finishes, the changes it found are shown at once. Keyed on every run's status, not
  // only on "something is running": a small run can finish before the list ever sees it running.
  const runsKey = runs.data?.items.map((r) => `${r.id}:${r.status}`).join(',');
  useEffect(() => {
    if (!running && runsKey !== undefined) changes.reload();
  }, [running, runsKey, changes.reload]);

  if (runs.error) return <ApiErrorPage error={runs.error} />;
  const english = i18n.language === 'en';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="batch-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('verificationBatch.title')}
        </Typography.Title>
        {canRun ? (
          <Button type="primary" onClick={() => setStarting(true)} data-testid="batch-start">
            {t('verificationBatch.start')}
          </Button>
        ) : null}
      </Space>
      <Alert type="info" showIcon title={t('verificationBatch.intro')} />
      <Card title={t('verificationBatch.runs')} size="small">
        <Table<BatchRun>
          rowKey="id"
          size="small"
          loading={runs.loading && !runs.data}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('verificationBatch.noRun') }}
          columns={[
            {
              title: t('verificationBatch.kindColumn'),
              key: 'kind',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <span>
                    {t(`verificationBatch.kind.${r.kind}`)}
                    {r.listSize ? ` · ${t('verificationBatch.numbersCount', { count: r.listSize })}` : ''}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.regionCode} · {r.asOf}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('verificationBatch.statusColumn'),
              key: 'status',
              render: (_, r) => (
                <Tag color={STATUS_TAG[r.status as keyof typeof STATUS_TAG]} data-testid="batch-run-status">
                  {t(`verificationBatch.status.${r.status}`)}
                </Tag>
              ),
            },
            { title: '', key: 'progress', render: (_, r) => <RunProgress run={r} /> },
            { title: t('verificationBatch.baselines'), dataIndex: 'baselines', align: 'right' },
            { title: t('verificationBatch.changesFound'), dataIndex: 'changesFound', align: 'right' },
            { title: t('verificationBatch.startedBy'), dataIndex: 'startedBy' },
            {
              title: '',
              key: 'actions',
              render: (_, r) =>
                canRun && r.status === 'failed' ? (
                  <Button size="small" onClick={() => resumeBatchRun(r.id).then(runs.reload)}>
                    {t('verificationBatch.resume')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card
        title={
          <Space>
            {t('verificationBatch.changes')}
            {changes.data?.open ? (
              <Tag color="red">{t('verificationBatch.openCount', { count: changes.data.open })}</Tag>
            ) : null}
          </Space>
        }
        size="small"
        extra={
          <Space wrap>
            <Segmented
              value={status}
              onChange={(v) => {
                setStatus(v as typeof status);
                setPage(1);
              }}
              options={(['open', 'acknowledged', 'all'] as const).map((s) => ({
                value: s,
                label: t(`verificationBatch.statusFilter.${s}`),
              }))}
            />
            <Select
              value={kind}
              style={{ width: 150 }}
              onChange={(v) => {
                setKind(v);
                setPage(1);
              }}
              options={[
                { value: 'all', label: t('verificationBatch.allKinds') },
                ...CHANGE_KINDS.map((k) => ({ value: k, label: t(`verificationBatch.changeKind.${k}`) })),
              ]}
              data-testid="batch-kind"
            />
            <Checkbox
              checked={mine}
              onChange={(e) => {
                setMine(e.target.checked);
                setPage(1);
              }}
            >
              {t('verificationBatch.mine')}
            </Checkbox>
          </Space>
        }
      >
        <Table<BatchChange>
          rowKey="id"
          size="small"
          loading={changes.loading}
          dataSource={changes.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('verificationBatch.noChange') }}
          pagination={{
            current: page,
            pageSize: 10,
            total: changes.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          columns={[
            {
              title: '',
              key: 'kind',
              width: 120,
              render: (_, c) => (
                <Tag color={KIND_TAG[c.kind]}>{t(`verificationBatch.changeKind.${c.kind}`)}</Tag>
              ),
            },
            {
              title: t('verificationBatch.household'),
              key: 'household',
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/households/${c.householdId}/verification`}>{c.householdNumber}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.regionName}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('verificationBatch.reason'),
              key: 'reason',
              render: (_, c) => (
                <span data-testid="batch-change-reason">{english ? c.reasonEn : c.reason}</span>
              ),
            },
            { title: t('verificationBatch.owner'), dataIndex: 'ownerName', render: (v) => v ?? '—' },
            {
              title: t('verificationBatch.period'),
              dataIndex: 'period',
              render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>,
            },
            {
              title: '',
              key: 'ack',
              render: (_, c) =>
                c.status === 'acknowledged' ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('verificationBatch.acknowledgedBy', { name: c.acknowledgedBy ?? '' })}
                    {c.note ? `：${c.note}` : ''}
                  </Typography.Text>
                ) : canAcknowledge ? (
                  <Button size="small" onClick={() => setAcknowledging(c)} data-testid="batch-acknowledge">
                    {t('verificationBatch.acknowledge')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {starting ? (
        <StartBatchDialog
          onClose={() => setStarting(false)}
          onStarted={() => {
            setStarting(false);
            runs.reload();
          }}
        />
      ) : null}
      {acknowledging ? (
        <FormDialog<{ note?: string }, BatchChange>
          title={t('verificationBatch.acknowledgeTitle')}
          fields={['note']}
          okText={t('verificationBatch.acknowledge')}
          successMessage={t('verificationBatch.acknowledged')}
          onClose={() => setAcknowledging(null)}
          onSave={(values) => acknowledgeChange(acknowledging.id, values.note?.trim() || undefined)}
          onSaved={() => {
            setAcknowledging(null);
            changes.reload();
          }}
          testId="batch-acknowledge-dialog"
        >
          <Typography.Paragraph>
            {english ? acknowledging.reasonEn : acknowledging.reason}
          </Typography.Paragraph>
          <Form.Item name="note" label={t('verificationBatch.note')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </FormDialog>
      ) : null}
    </Space>
  );
}
