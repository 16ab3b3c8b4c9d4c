/**
 * Step 2 of the window wizard: what the applicant declares (optional, yuan), the rules engine's
 * suggestions for the household with each one's trace, and the items picked. Suggested items are
 * ticked to start with; an item the household already receives or has an open case for says so.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Collapse,
  Form,
  InputNumber,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import type { Declared, SuggestionItem, Suggestions } from './intakeApi';
import { suggest } from './intakeApi';
import { INCOME_FIELDS } from './visitDraft';

const STATUS_COLOR: Record<string, string> = {
  eligible: 'green',
  needsInformation: 'gold',
  ineligible: 'default',
  error: 'red',
};

const COUNTS = ['housingUnits', 'vehicleCount', 'businessCount'] as const;
/** Yes/no questions the applicant answers at the window (veto conditions of the catalogue). */
const FLAGS = ['publicEmployee', 'luxuryConsumption', 'recentHousePurchase'] as const;

type DeclaredValues = Partial<
  Record<
    `${(typeof INCOME_FIELDS)[number]}Yuan` | 'financialAssetsYuan' | (typeof COUNTS)[number],
    number | null
  > &
    Record<(typeof FLAGS)[number], boolean>
>;

function declaredOf(values: DeclaredValues): Declared {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v))
      out[k.replace(/Yuan$/, '')] = k.endsWith('Yuan') ? Math.round(v * 100) : Math.round(v);
  }
  return Object.keys(out).length ? (out as Declared) : undefined;
}

export function money(fen: number | null, unit: string | null, en: boolean) {
  if (fen === null) return '';
  const yuan = (fen / 100).toLocaleString(en ? 'en' : 'zh-CN', { maximumFractionDigits: 2 });
  const per =
    unit === 'fen/month' ? (en ? '/month' : '/月') : unit === 'fen/year' ? (en ? '/year' : '/年') : '';
  return en ? `¥${yuan}${per}` : `${yuan}元${per}`;
}

export function WizardItems({
  householdId,
  residenceRegionCode,
  picked,
  onPick,
  onSuggestions,
}: {
  householdId: string;
  /** Apply where you live: list the items without evaluating the household (not readable yet). */
  residenceRegionCode?: string | undefined;
  picked: string[];
  onPick(ids: string[]): void;
  onSuggestions(s: Suggestions): void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [form] = Form.useForm<DeclaredValues>();
  const [result, setResult] = useState<Suggestions>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function evaluate(values: DeclaredValues) {
    setBusy(true);
    setError(undefined);
    try {
      const r = await suggest(
        householdId,
        residenceRegionCode ? undefined : declaredOf(values),
        residenceRegionCode,
      );
      setResult(r);
      onSuggestions(r);
      if (picked.length === 0) onPick(r.items.filter((i) => i.suggested).map((i) => i.policyId));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (item: SuggestionItem, on: boolean) =>
    onPick(on ? [...picked, item.policyId] : picked.filter((p) => p !== item.policyId));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {residenceRegionCode ? (
        <Alert
          type="info"
          showIcon
          title={t('intake.wizard.residence.itemsNotice')}
          action={
            <Button type="primary" loading={busy} onClick={() => void evaluate({})} data-testid="evaluate">
              {t('intake.wizard.evaluate')}
            </Button>
          }
        />
      ) : (
        <Card size="small" title={t('intake.wizard.declaredTitle')}>
          <Form<DeclaredValues>
            form={form}
            layout="inline"
            onFinish={evaluate}
            initialValues={{ publicEmployee: false, luxuryConsumption: false, recentHousePurchase: false }}
          >
            {[...INCOME_FIELDS, 'financialAssets' as const].map((f) => (
              <Form.Item
                key={f}
                name={`${f}Yuan`}
                label={t(`intake.visit.figure.${f}`)}
                style={{ marginBottom: 8 }}
              >
                <InputNumber
                  min={0}
                  max={f === 'financialAssets' ? 10_000_000_000 : 1_000_000}
                  precision={2}
                  style={{ width: 130 }}
                />
              </Form.Item>
            ))}
            {COUNTS.map((f) => (
              <Form.Item key={f} name={f} label={t(`intake.visit.figure.${f}`)} style={{ marginBottom: 8 }}>
                <InputNumber min={0} max={100} precision={0} style={{ width: 80 }} />
              </Form.Item>
            ))}
            {FLAGS.map((f) => (
              <Form.Item
                key={f}
                name={f}
                label={t(`intake.wizard.flag.${f}`)}
                valuePropName="checked"
                style={{ marginBottom: 8 }}
              >
                <Switch size="small" />
              </Form.Item>
            ))}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="evaluate">
              {t('intake.wizard.evaluate')}
            </Button>
          </Form>
        </Card>
      )}
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {result ? (
        <>
          <Alert type="info" showIcon title={en ? t('intake.wizard.noticeEn') : result.notice} />
          <Space orientation="vertical" size={6} style={{ width: '100%' }} data-testid="suggestions">
            {result.items.map((item) => (
              <Card key={item.policyId} size="small" data-testid={`suggestion-${item.policyId}`}>
                <Space wrap>
                  <Checkbox
                    checked={picked.includes(item.policyId)}
                    disabled={!!item.openCaseId}
                    onChange={(e) => toggle(item, e.target.checked)}
                    data-testid={`pick-${item.policyId}`}
                  >
                    <Typography.Text strong>{en ? item.nameEn : item.name}</Typography.Text>
                  </Checkbox>
                  <Tag color={STATUS_COLOR[item.status]}>{t(`intake.wizard.status.${item.status}`)}</Tag>
                  {item.suggested ? <Tag color="blue">{t('intake.wizard.suggested')}</Tag> : null}
                  {item.receiving ? <Tag>{t('intake.wizard.receiving')}</Tag> : null}
                  {item.openCaseId ? <Tag color="orange">{t('intake.wizard.openCase')}</Tag> : null}
                  {item.amountFen !== null ? (
                    <Typography.Text>
                      {t('intake.wizard.amount', { amount: money(item.amountFen, item.amountUnit, en) })}
                    </Typography.Text>
                  ) : null}
                  {item.department ? (
                    <Typography.Text type="secondary">
                      {t('intake.wizard.department', { name: item.department })}
                    </Typography.Text>
                  ) : null}
                </Space>
                {item.missingFacts.length ? (
                  <div>
                    <Typography.Text type="warning">
                      {t('intake.wizard.missing', { list: item.missingFacts.slice(0, 6).join('、') })}
                    </Typography.Text>
                  </div>
                ) : null}
                <Collapse
                  ghost
                  size="small"
                  items={[
                    {
                      key: 'trace',
                      label: t('intake.wizard.trace'),
                      children: (
                        <Typography.Paragraph
                          style={{ whiteSpace: 'pre-wrap', margin: 0 }}
                          data-testid="trace"
                        >
                          {item.traceZh}
                        </Typography.Paragraph>
                      ),
                    },
                  ]}
                />
              </Card>
            ))}
          </Space>
        </>
      ) : (
        <Typography.Text type="secondary">{t('intake.wizard.evaluateHint')}</Typography.Text>
      )}
    </Space>
  );
}
