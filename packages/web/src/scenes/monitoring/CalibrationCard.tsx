/**
 * 模型校准: two sets of warning lines simulated on sample villages, side by side, with precision
 * (against verified outcomes of past alerts) and recall where known, and the back-test overall, by
 * colour and by cause beside Xiaochang's own figure (687 alerts, 404 families helped: 58.8%), the
 * bar a calibrated model has to beat. The server keeps each result.
 */
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { COLOUR_TAG } from './MonitoringPage';
import {
  type BandSetting,
  type CalibrationResult,
  calibrate,
  type SettingResult,
  type Tally,
} from './monitoringApi';

const percent = (v: number | null, none: string) => (v === null ? none : `${(v * 100).toFixed(1)}%`);

/** Xiaochang's own model: 687 alerts raised, 404 families helped (the figure). */
const XIAOCHANG_PRECISION = 404 / 687;

/** Back-test rows (by colour or by cause): households alerted, verified, precision, recall where known. */
function TallyTable({
  rows,
  title,
  name,
}: {
  rows: [string, Tally][];
  title: string;
  name: (key: string) => ReactNode;
}) {
  const { t } = useTranslation();
  const none = t('monitoring.none');
  return (
    <Table<[string, Tally]>
      rowKey={(r) => r[0]}
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title, key: 'name', render: (_, r) => name(r[0]) },
        { title: t('monitoring.raisedHouseholds'), key: 'n', align: 'right', render: (_, r) => r[1].alerts },
        { title: t('monitoring.known'), key: 'k', align: 'right', render: (_, r) => r[1].withOutcome },
        {
          title: t('monitoring.precision'),
          key: 'p',
          align: 'right',
          render: (_, r) => percent(r[1].precision, none),
        },
        {
          title: t('monitoring.recall'),
          key: 'r',
          align: 'right',
          render: (_, r) => percent(r[1].recall ?? null, none),
        },
      ]}
    />
  );
}

export function CalibrationCard() {
  const { t } = useTranslation();
  const [villages, setVillages] = useState<string[]>([]);
  const [settings, setSettings] = useState<BandSetting[]>([
    // The lines published with model 2025.2 beside the illustrative ones they replaced.
    { label: t('monitoring.settingA'), red: 8, yellow: 3.5, blue: 1 },
    { label: t('monitoring.settingB'), red: 10, yellow: 6, blue: 3 },
  ]);
  const [result, setResult] = useState<CalibrationResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (i: number, key: 'red' | 'yellow' | 'blue', value: number | null) =>
    setSettings((s) => s.map((x, k) => (k === i ? { ...x, [key]: value ?? 0 } : x)));

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await calibrate({ villages, settings }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const none = t('monitoring.none');
  return (
    <Card title={t('monitoring.calibration')} size="small" data-testid="calibration-card">
      <Typography.Paragraph type="secondary">{t('monitoring.calibrationHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('monitoring.villages')}>
          <Select
            mode="tags"
            value={villages}
            onChange={(v: string[]) => setVillages(v.filter((c) => /^\d{12}$/.test(c)).slice(0, 50))}
            placeholder={t('monitoring.villagesPlaceholder')}
            tokenSeparators={[',', ' ', '，']}
            open={false}
            data-testid="calibration-villages"
          />
        </Form.Item>
        <Row gutter={16}>
          {settings.map((s, i) => (
            <Col xs={24} md={12} key={s.label}>
              <Typography.Text strong>{s.label}</Typography.Text>
              <Space wrap style={{ marginTop: 4 }}>
                {(['red', 'yellow', 'blue'] as const).map((k) => (
                  <Space key={k} size={4}>
                    <Tag color={COLOUR_TAG[k]}>{t(`monitoring.${k}`)}</Tag>
                    <InputNumber
                      value={s[k]}
                      step={0.5}
                      onChange={(v) => set(i, k, v)}
                      style={{ width: 80 }}
                    />
                  </Space>
                ))}
              </Space>
            </Col>
          ))}
        </Row>
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          onClick={run}
          loading={busy}
          disabled={villages.length === 0}
          data-testid="calibration-run"
        >
          {t('monitoring.runCalibration')}
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} /> : null}
      {result ? (
        <Space
          orientation="vertical"
          style={{ width: '100%', marginTop: 12 }}
          data-testid="calibration-result"
        >
          <Typography.Text>{t('monitoring.households', { n: result.households })}</Typography.Text>
          <Table<SettingResult>
            rowKey="label"
            size="small"
            pagination={false}
            dataSource={result.settings}
            scroll={{ x: 700 }}
            columns={[
              { title: '', dataIndex: 'label' },
              ...(['red', 'yellow', 'blue', 'green'] as const).map((c) => ({
                title: <Tag color={COLOUR_TAG[c]}>{t(`monitoring.colour.${c}`)}</Tag>,
                key: c,
                align: 'right' as const,
                render: (_: unknown, r: SettingResult) => r.colours[c] ?? 0,
              })),
              { title: t('monitoring.raisedHouseholds'), dataIndex: 'raised', align: 'right' },
              { title: t('monitoring.known'), dataIndex: 'known', align: 'right' },
              {
                title: t('monitoring.precision'),
                key: 'precision',
                align: 'right',
                render: (_, r) => percent(r.precision, none),
              },
              {
                title: t('monitoring.recall'),
                key: 'recall',
                align: 'right',
                render: (_, r) => percent(r.recall, none),
              },
            ]}
          />
          <Typography.Text strong>{t('monitoring.backTest')}</Typography.Text>
          <Typography.Text data-testid="calibration-overall">
            {t('monitoring.backTestOverall', {
              n: result.backTest.overall.alerts,
              precision: percent(result.backTest.overall.precision, none),
              recall: percent(result.backTest.overall.recall ?? null, none),
            })}
            <Typography.Text
              type={(result.backTest.overall.precision ?? 0) > XIAOCHANG_PRECISION ? 'success' : 'secondary'}
            >
              {' '}
              {t('monitoring.xiaochangReference')}
            </Typography.Text>
          </Typography.Text>
          <TallyTable
            rows={Object.entries(result.backTest.byColour)}
            title={t('monitoring.colourColumn')}
            name={(k) => <Tag color={COLOUR_TAG[k]}>{t(`monitoring.colour.${k}`, { defaultValue: k })}</Tag>}
          />
          <TallyTable
            rows={Object.entries(result.backTest.byCause)}
            title={t('monitoring.cause')}
            name={(k) => t(`monitoring.causes.${k.replace(':', '_')}`, { defaultValue: k })}
          />
        </Space>
      ) : null}
    </Card>
  );
}
