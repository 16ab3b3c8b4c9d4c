/**
 * /what-if — 政策测算: change one or more parameters (e.g. the dibao standard +5%), run over the
 * households of the officer's region on a date, and see who would newly qualify or stop
 * qualifying and what it would cost per month, by township and by policy. Nothing is saved.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  InputNumber,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { chinaToday, todayInChina } from '../../components/chinaToday';
import { ApiErrorPage } from '../errors/ErrorPage';
import { WhatIfChart } from './WhatIfChart';
import {
  getWhatIf,
  listParameters,
  parameterValueText,
  type StartBody,
  startWhatIf,
  type WhatIfParameter,
  type WhatIfRun,
  yuan,
} from './whatIfApi';

interface ChangeRow {
  parameter?: string;
  mode: 'scale' | 'set';
  amount?: number;
}
interface Values {
  onDate: Dayjs;
  changes: ChangeRow[];
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function toBody(values: Values, parameters: Map<string, WhatIfParameter>): StartBody {
  return {
    onDate: values.onDate.format('YYYY-MM-DD'),
    changes: values.changes.map((c) => {
      const unit = parameters.get(c.parameter ?? '')?.unit ?? '';
      const amount = c.amount ?? 0;
      // Money is typed in yuan on the page and travels in fen.
      const set = unit.startsWith('fen') ? Math.round(amount * 100) : amount;
      return {
        parameter: c.parameter ?? '',
        change: c.mode === 'scale' ? { scalePercent: amount } : { set },
      };
    }),
  };
}

function Results({ run }: { run: WhatIfRun }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const result = run.result;
  if (!result) return null;
  const s = result.summary;
  // Named per policy: one household-wide count would blame every household for the policies that are
  // only ever decided on application (emergency aid needs the sudden hardship, which no register holds).
  const undecided = result.policies.filter((p) => p.needsInformation > 0);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="what-if-result">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('whatIf.households')} value={s.households} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('whatIf.newlyEligible')}
              value={s.householdsGaining}
              suffix={t('whatIf.householdsUnit')}
              styles={{ content: { color: '#389e0d' } }}
            />
            <Typography.Text type="secondary">{t('whatIf.pairs', { n: s.newlyEligible })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('whatIf.newlyIneligible')}
              value={s.householdsLosing}
              suffix={t('whatIf.householdsUnit')}
              styles={{ content: { color: s.householdsLosing > 0 ? '#cf1322' : undefined } }}
            />
            <Typography.Text type="secondary">{t('whatIf.pairs', { n: s.newlyIneligible })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('whatIf.monthlyChange')}
              value={yuan(s.monthlyChangeFen, true)}
              data-testid="what-if-monthly-change"
            />
            <Typography.Text type="secondary">
              {yuan(s.monthlyBaselineFen)} → {yuan(s.monthlyScenarioFen)}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      {result.policies.length === 0 ? <Alert type="info" showIcon title={t('whatIf.noPolicies')} /> : null}
      {undecided.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('whatIf.needsInformation', {
            list: undecided
              .map((p) =>
                t('whatIf.policyHouseholds', { policy: en ? p.nameEn : p.name, n: p.needsInformation }),
              )
              .join(t('whatIf.listSeparator')),
            total: s.households,
          })}
          data-testid="what-if-needs-information"
        />
      ) : null}
      <Card title={t('whatIf.chartTitle')}>
        <WhatIfChart townships={result.townships} />
      </Card>
      <Card title={t('whatIf.byTownship')}>
        <Table
          rowKey="regionCode"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={result.townships}
          data-testid="what-if-townships"
          columns={[
            { title: t('whatIf.col.township'), dataIndex: 'name' },
            { title: t('whatIf.col.households'), dataIndex: 'households', align: 'right' },
            { title: t('whatIf.col.gaining'), dataIndex: 'householdsGaining', align: 'right' },
            { title: t('whatIf.col.losing'), dataIndex: 'householdsLosing', align: 'right' },
            {
              title: t('whatIf.col.baseline'),
              dataIndex: 'monthlyBaselineFen',
              align: 'right',
              render: (v: number) => yuan(v),
            },
            {
              title: t('whatIf.col.scenario'),
              dataIndex: 'monthlyScenarioFen',
              align: 'right',
              render: (v: number) => yuan(v),
            },
            {
              title: t('whatIf.col.change'),
              dataIndex: 'monthlyChangeFen',
              align: 'right',
              render: (v: number) => yuan(v, true),
            },
          ]}
        />
      </Card>
      <Card title={t('whatIf.byPolicy')}>
        <Table
          rowKey="policyId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={result.policies}
          data-testid="what-if-policies"
          columns={[
            { title: t('whatIf.col.policy'), render: (_, p) => (en ? p.nameEn : p.name) },
            { title: t('whatIf.col.baselineEligible'), dataIndex: 'baselineEligible', align: 'right' },
            { title: t('whatIf.col.scenarioEligible'), dataIndex: 'scenarioEligible', align: 'right' },
            { title: t('whatIf.col.newly'), dataIndex: 'newlyEligible', align: 'right' },
            { title: t('whatIf.col.lost'), dataIndex: 'newlyIneligible', align: 'right' },
            { title: t('whatIf.col.needsInformation'), dataIndex: 'needsInformation', align: 'right' },
            {
              title: t('whatIf.col.amountChange'),
              align: 'right',
              render: (_, p) =>
                `${yuan(p.changeFen, true)}${p.unit === 'fen/month' ? t('whatIf.perMonth') : p.unit === 'fen/year' ? t('whatIf.perYear') : ''}`,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

export default function WhatIfPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [onDate, setOnDate] = useState(todayInChina());
  const parameters = useLoad(() => listParameters(onDate), [onDate]);
  const byName = useMemo(
    () => new Map((parameters.data?.items ?? []).map((p) => [p.name, p])),
    [parameters.data],
  );
  const [runId, setRunId] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const run = useLoad(() => (runId ? getWhatIf(runId) : Promise.resolve(undefined)), [runId]);

  const { reload } = run;
  useEffect(() => {
    if (run.data?.status !== 'running') return;
    const timer = setInterval(reload, 500);
    return () => clearInterval(timer);
  }, [run.data, reload]);

  if (parameters.error && !parameters.data) return <ApiErrorPage error={parameters.error} />;

  // Only numbers can be scaled or typed here; text choices (rounding) are left to policy editing.
  const options = (parameters.data?.items ?? [])
    .filter((p) => p.type === 'int' || p.type === 'double')
    .map((p) => ({
      value: p.name,
      label: `${p.description} · ${t('whatIf.current')} ${parameterValueText(p.value, p.unit, en)}`,
      search: `${p.description} ${p.name}`,
    }));

  const submit = async (values: Values) => {
    setSubmitting(true);
    try {
      const started = await startWhatIf(toBody(values, byName));
      setRunId(started.id);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSubmitting(false);
    }
  };

  const current = run.data;
  const percent = current && current.total > 0 ? Math.floor((current.processed / current.total) * 100) : 0;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('whatIf.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('whatIf.hint')}
      </Typography.Paragraph>
      <Card title={t('whatIf.changesTitle')}>
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ onDate: chinaToday(), changes: [{ mode: 'scale', amount: 5 }] }}
          onFinish={submit}
          data-testid="what-if-form"
        >
          <Form.Item name="onDate" label={t('whatIf.onDate')} rules={[{ required: true }]}>
            <DatePicker
              allowClear={false}
              onChange={(d) => d && setOnDate(d.format('YYYY-MM-DD'))}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.List name="changes">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} wrap align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      name={[field.name, 'parameter']}
                      label={index === 0 ? t('whatIf.parameter') : undefined}
                      rules={[{ required: true, message: t('whatIf.chooseParameter') }]}
                    >
                      <Select
                        showSearch={{ optionFilterProp: 'search' }}
                        placeholder={t('whatIf.chooseParameter')}
                        options={options}
                        loading={parameters.loading}
                        style={{ width: 'min(420px, 80vw)' }}
                        data-testid={`what-if-parameter-${index}`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'mode']} label={index === 0 ? t('whatIf.mode') : undefined}>
                      <Segmented
                        options={[
                          { value: 'scale', label: t('whatIf.scale') },
                          { value: 'set', label: t('whatIf.set') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const row = form.getFieldValue(['changes', field.name]) as ChangeRow | undefined;
                        const unit = byName.get(row?.parameter ?? '')?.unit ?? '';
                        const scale = row?.mode !== 'set';
                        return (
                          <Form.Item
                            name={[field.name, 'amount']}
                            label={index === 0 ? t('whatIf.amount') : undefined}
                            rules={[{ required: true, message: t('whatIf.amountRequired') }]}
                          >
                            <InputNumber
                              style={{ width: 180 }}
                              min={scale ? -100 : 0}
                              max={scale ? 1000 : undefined}
                              suffix={scale ? '%' : unit.startsWith('fen') ? t('whatIf.yuanUnit') : undefined}
                              formatter={
                                scale ? (v) => (v === undefined ? '' : signed(Number(v))) : undefined
                              }
                              data-testid={`what-if-amount-${index}`}
                            />
                          </Form.Item>
                        );
                      }}
                    </Form.Item>
                    {fields.length > 1 ? (
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={t('whatIf.remove')}
                        onClick={() => remove(field.name)}
                        style={{ marginTop: index === 0 ? 30 : 0 }}
                      />
                    ) : null}
                  </Space>
                ))}
                <Space wrap>
                  <Button icon={<PlusOutlined />} onClick={() => add({ mode: 'scale', amount: 5 })}>
                    {t('whatIf.add')}
                  </Button>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={submitting || current?.status === 'running'}
                    data-testid="what-if-run"
                  >
                    {t('whatIf.run')}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      </Card>
      {current ? (
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }} size={4}>
            <Progress
              percent={current.status === 'done' ? 100 : percent}
              status={
                current.status === 'failed' ? 'exception' : current.status === 'done' ? 'success' : 'active'
              }
              data-testid="what-if-progress"
            />
            <Typography.Text type="secondary" data-testid="what-if-status">
              {t(`whatIf.status.${current.status}`, {
                processed: current.processed,
                total: current.total,
                seconds: ((current.durationMs ?? 0) / 1000).toFixed(1),
              })}
              {' · '}
              {current.changes
                .map(
                  (c) =>
                    `${c.description} ${'scalePercent' in c.change ? `${signed(c.change.scalePercent)}%` : `→ ${parameterValueText(c.change.set as number, c.unit, en)}`}`,
                )
                .join('；')}
            </Typography.Text>
            {current.error ? <Alert type="error" showIcon title={current.error} /> : null}
          </Space>
        </Card>
      ) : null}
      {current?.status === 'done' ? <Results run={current} /> : null}
    </Space>
  );
}
