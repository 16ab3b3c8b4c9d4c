/**
 * /screening — 政策找人: start a run (county officers), follow its progress, list the households it
 * found with the policies they qualify for and do not receive; one click opens the trace and the
 * prescription. Filters live in the address so the back button keeps them.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { useUrlFilters } from '../../components/useUrlFilters';
import { ApiErrorPage } from '../errors/ErrorPage';
import { ScreeningDrawer } from './ScreeningDrawer';
import { StartRunDialog } from './StartRunDialog';
import {
  amountText,
  getRun,
  listResults,
  listRuns,
  type ScreeningResult,
  type ScreeningRun,
} from './screeningApi';

const STATUS_COLOR = { queued: 'default', running: 'processing', done: 'success', failed: 'error' } as const;
const unfinished = (run: ScreeningRun | undefined) => run?.status === 'queued' || run?.status === 'running';

function RunProgress({ run }: { run: ScreeningRun }) {
  const { t } = useTranslation();
  const percent =
    run.total > 0 ? Math.floor((run.processed / run.total) * 100) : run.status === 'done' ? 100 : 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={4}>
      <Space wrap>
        <Tag color={STATUS_COLOR[run.status]} data-testid="run-status">
          {t(`screening.status.${run.status}`)}
        </Tag>
        <Typography.Text type="secondary">
          {t('screening.runMeta', {
            date: run.onDate,
            by: run.startedBy,
            version: run.catalogVersion ?? '…',
          })}
        </Typography.Text>
        {run.durationMs !== null && run.status === 'done' ? (
          <Typography.Text type="secondary">
            {t('screening.duration', { seconds: (run.durationMs / 1000).toFixed(1) })}
          </Typography.Text>
        ) : null}
      </Space>
      <Progress
        percent={percent}
        status={run.status === 'failed' ? 'exception' : run.status === 'done' ? 'success' : 'active'}
        data-testid="run-progress"
      />
      <Typography.Text>
        {t('screening.progress', { processed: run.processed, total: run.total })}
      </Typography.Text>
      {run.status === 'done' ? (
        <Typography.Text strong data-testid="run-summary">
          {t('screening.summary', {
            households: run.householdsFound ?? 0,
            pairs: run.pairsFound ?? 0,
            newly: run.pairsNewly ?? 0,
          })}
        </Typography.Text>
      ) : null}
      {run.error ? <Alert type="error" showIcon title={run.error} /> : null}
    </Space>
  );
}

export default function ScreeningPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const can = useCan();
  const filters = useUrlFilters(20);
  const { update, page, pageSize } = filters;
  const [starting, setStarting] = useState(false);
  const [open, setOpen] = useState<ScreeningResult | undefined>();
  const runs = useLoad(() => listRuns(), []);
  const runId = filters.get('run') ?? runs.data?.items[0]?.id;
  const run = useLoad(() => (runId ? getRun(runId) : Promise.resolve(undefined)), [runId]);
  const regionCode = filters.get('region');
  const policy = filters.get('policy');
  const kind = (filters.get('kind') as 'eligible' | 'needsInfo' | undefined) ?? 'eligible';
  const newly = filters.get('newly') === '1';
  const done = run.data?.status === 'done';
  const results = useLoad(
    () =>
      runId && done
        ? listResults(runId, { regionCode, policy, kind, newly: newly || undefined, page, pageSize })
        : Promise.resolve(undefined),
    [runId, done, regionCode, policy, kind, newly, page, pageSize],
  );

  // Poll while the run is unfinished: the progress bar moves, and the list appears at the end.
  const { reload } = run;
  useEffect(() => {
    if (!unfinished(run.data)) return;
    const timer = setInterval(reload, 1500);
    return () => clearInterval(timer);
  }, [run.data, reload]);

  // The run list shows each run's status: refresh it when the followed run ends.
  const finished = run.data?.status === 'done' || run.data?.status === 'failed';
  const reloadRuns = runs.reload;
  useEffect(() => {
    if (finished) reloadRuns();
  }, [finished, reloadRuns]);

  const names = useMemo(
    () => new Map((run.data?.policies ?? []).map((p) => [p.policyId, en ? p.nameEn : p.name])),
    [run.data, en],
  );
  if (runs.error) return <ApiErrorPage error={runs.error} />;
  if (run.error) return <ApiErrorPage error={run.error} />;
  if (results.error) return <ApiErrorPage error={results.error} />;
  const policyOptions = (run.data?.policies ?? [])
    .filter((p) => (kind === 'needsInfo' ? p.needsInfo : p.eligible) > 0)
    .map((p) => ({
      value: p.policyId,
      label: `${en ? p.nameEn : p.name}（${kind === 'needsInfo' ? p.needsInfo : p.eligible}）`,
    }));

  return (
    <Card
      title={t('screening.title')}
      extra={
        <Space wrap>
          {(runs.data?.items.length ?? 0) > 0 ? (
            <Select
              value={runId}
              style={{ minWidth: 260 }}
              onChange={(value) => update({ run: value, region: undefined, policy: undefined })}
              options={(runs.data?.items ?? []).map((r) => ({
                value: r.id,
                label: `${r.onDate} · ${t(`screening.status.${r.status}`)} · ${r.startedBy}`,
              }))}
              data-testid="run-select"
            />
          ) : null}
          {can('screening.run') ? (
            <Button type="primary" onClick={() => setStarting(true)} data-testid="screening-start">
              {t('screening.start')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {run.data ? (
        <RunProgress run={run.data} />
      ) : (
        <Typography.Text type="secondary">{runs.loading ? '…' : t('screening.noRun')}</Typography.Text>
      )}
      {done ? (
        <>
          <Row gutter={[12, 12]} style={{ margin: '16px 0' }}>
            <Col xs={24} md={12} xl={6}>
              <RegionTreeSelect
                value={regionCode}
                onChange={(code) => update({ region: code })}
                placeholder={t('screening.filterRegion')}
                allowClear
              />
            </Col>
            <Col xs={24} md={12} xl={7}>
              <Select
                value={policy}
                onChange={(value) => update({ policy: value })}
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('screening.filterPolicy')}
                style={{ width: '100%' }}
                options={policyOptions}
                data-testid="filter-policy"
              />
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Segmented
                value={kind}
                onChange={(value) =>
                  update({ kind: value === 'eligible' ? undefined : value, policy: undefined })
                }
                options={[
                  { value: 'eligible', label: t('screening.kindEligible') },
                  { value: 'needsInfo', label: t('screening.kindNeedsInfo') },
                ]}
              />
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Checkbox
                checked={newly}
                disabled={kind === 'needsInfo'}
                onChange={(e) => update({ newly: e.target.checked ? '1' : undefined })}
                data-testid="filter-newly"
              >
                {t('screening.onlyNewly')}
              </Checkbox>
            </Col>
          </Row>
          <Table<ScreeningResult>
            rowKey="householdId"
            size="middle"
            loading={results.loading}
            dataSource={results.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            data-testid="screening-results"
            onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' } })}
            pagination={filters.pagination(results.data?.total, (total) =>
              t('common.total', { count: total }),
            )}
            columns={[
              {
                title: t('screening.columns.head'),
                dataIndex: 'headName',
                render: (name: string | null) => (
                  <Typography.Link data-testid="screening-open">{name ?? '—'}</Typography.Link>
                ),
              },
              { title: t('screening.columns.idNumber'), dataIndex: 'headIdNumberMasked', responsive: ['lg'] },
              {
                title: t('screening.columns.householdNumber'),
                dataIndex: 'householdNumber',
                responsive: ['md'],
              },
              {
                title: t('screening.columns.village'),
                key: 'village',
                render: (_, r) => `${r.townshipName}${r.villageName}`,
              },
              kind === 'needsInfo'
                ? {
                    title: t('screening.columns.needsInfo'),
                    key: 'needs',
                    width: 480,
                    render: (_, r) => (
                      <Space size={[4, 4]} wrap>
                        {r.needsInformation.map((p) => (
                          <Tag key={p}>{names.get(p) ?? p}</Tag>
                        ))}
                      </Space>
                    ),
                  }
                : {
                    title: t('screening.columns.policies'),
                    key: 'policies',
                    width: 480,
                    render: (_, r) => (
                      <Space size={[4, 4]} wrap>
                        {r.policies.map((p) => (
                          <Tag key={p.policyId} color={p.newly ? 'green' : 'blue'}>
                            {names.get(p.policyId) ?? p.policyId}
                            {p.newly ? ` · ${t('screening.newTag')}` : ''}
                          </Tag>
                        ))}
                      </Space>
                    ),
                  },
              {
                title: t('screening.columns.monthly'),
                dataIndex: 'monthlyTotalFen',
                align: 'right',
                render: (fen: number) => (fen ? amountText(fen, 'fen/month', en) : '—'),
              },
            ]}
          />
        </>
      ) : null}
      {starting ? (
        <StartRunDialog
          onClose={() => setStarting(false)}
          onStarted={(started) => {
            setStarting(false);
            runs.reload();
            update({ run: started.id, region: undefined, policy: undefined });
          }}
        />
      ) : null}
      {open && runId ? (
        <ScreeningDrawer runId={runId} result={open} onClose={() => setOpen(undefined)} />
      ) : null}
    </Card>
  );
}
