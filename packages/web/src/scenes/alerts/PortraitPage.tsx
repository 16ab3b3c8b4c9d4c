/**
 * /alerts/:id/portrait — 一户一画像: hardship on seven dimensions (radar), the indicators that fired
 * behind each, the monitoring models' scores, the alert's evidence with its data and dates, the
 * assistance the household already receives, and the policies the rules engine suggests.
 */
import {
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  List,
  Alert as Notice,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { todayInChina } from '../../components/chinaToday';
import { ApiErrorPage } from '../errors/ErrorPage';
import { PortraitRadar } from './AlertCharts';
import { COLOUR_TAG, getPortrait } from './alertsApi';

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** A timestamp's day in China (where the bureau works), as YYYY-MM-DD. */
const day = (iso: string) => todayInChina(new Date(iso));

/** Evidence items are the raiser's own shape (request, indicator items, trigger records): show what they say. */
/**
 * One piece of evidence, whatever raised it (indicator item, trigger record, request): its kind and
 * known keys in the reader's language, values as stored; unknown keys are shown as they are.
 */
function EvidenceLine({ item }: { item: unknown }) {
  const { t } = useTranslation();
  if (!item || typeof item !== 'object') return <span>{String(item)}</span>;
  const e = item as Record<string, unknown>;
  const label = [e.label, e.text, e.summary, e.item].find((v) => typeof v === 'string');
  const date = [e.on, e.date, e.asOf, e.validFrom].find((v) => typeof v === 'string');
  const value = (k: string, v: unknown) => {
    if (k === 'category' && typeof v === 'string') return t(`alerts.category.${v}`, { defaultValue: v });
    if (k === 'group' && typeof e.groupLabel === 'string') return e.groupLabel;
    // A model's groups: 家庭财产收入情况 3、医疗 13 (not their JSON).
    if (k === 'groups' && Array.isArray(v))
      return v
        .map(
          (g: { label?: unknown; score?: unknown }) => `${String(g?.label ?? '')} ${String(g?.score ?? '')}`,
        )
        .join(t('alerts.portrait.groupSeparator'));
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const rest = Object.entries(e)
    .filter(
      ([k, v]) =>
        !['label', 'text', 'summary', 'item', 'on', 'date', 'asOf', 'kind', 'groupLabel'].includes(k) &&
        v !== null,
    )
    .map(([k, v]) => `${t(`alerts.evidenceKey.${k}`, { defaultValue: k })}：${value(k, v)}`)
    .join('；');
  return (
    <span>
      {typeof e.kind === 'string' ? (
        <Tag>{t(`alerts.evidenceKind.${e.kind}`, { defaultValue: e.kind })}</Tag>
      ) : null}
      {label ? <Typography.Text strong>{String(label)}</Typography.Text> : null}{' '}
      {date ? (
        <Typography.Text type="secondary">
          {/* A model's score keeps the date it was first found (a later run that finds the same
              score, band and items only confirms it: the alert's last raise says when). */}
          {e.kind === 'indicator' ? t('alerts.portrait.firstFound', { date }) : String(date)}
        </Typography.Text>
      ) : null}
      {rest ? <div style={{ color: '#666', fontSize: 12, wordBreak: 'break-all' }}>{rest}</div> : null}
    </span>
  );
}

export default function PortraitPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const loaded = useLoad(() => getPortrait(id), [id]);
  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const p = loaded.data;
  if (!p) return <Card loading />;
  const en = i18n.language === 'en';
  const a = p.alert;
  // Policies the household may qualify for first; those that need more facts in one line.
  const eligible = p.suggestedPolicies.filter((s) => s.status === 'eligible');
  const needsInfo = p.suggestedPolicies.filter((s) => s.status !== 'eligible');
  const dimensions = p.dimensions.map((d) => ({ ...d, name: t(`alerts.portrait.dimension.${d.id}`) }));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="portrait-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('alerts.portrait.title')} · {a.headName ?? ''} {a.householdNumber ?? t('alerts.candidate')}
        </Typography.Title>
        <Space>
          <Tag color={COLOUR_TAG[a.colour]}>{t(`alerts.colour.${a.colour}`)}</Tag>
          <Link to={`/alerts?alert=${a.id}`}>{t('alerts.drawer.title')}</Link>
        </Space>
      </Space>
      <Typography.Text type="secondary">
        {a.regionName} · {a.cause === 'request' ? a.summaryZh : `${a.causeZh} · ${a.summaryZh}`}
      </Typography.Text>
      <Typography.Text type="secondary" data-testid="portrait-raised">
        {t(
          `alerts.portrait.${a.cause === 'request' ? 'reported' : 'raised'}${a.raiseCount > 1 ? 'Again' : ''}`,
          {
            first: day(a.firstRaisedAt),
            last: day(a.lastRaisedAt),
            count: a.raiseCount,
          },
        )}
      </Typography.Text>
      {!a.householdId ? <Notice type="info" showIcon message={t('alerts.portrait.noHousehold')} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.portrait.radar')}>
            <PortraitRadar dimensions={dimensions} name={t('alerts.portrait.score')} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.portrait.items')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={dimensions}
              data-testid="portrait-dimensions"
              columns={[
                { title: t('alerts.portrait.dimensions'), dataIndex: 'name', width: 90 },
                { title: t('alerts.portrait.score'), dataIndex: 'score', width: 80 },
                {
                  title: t('alerts.portrait.items'),
                  key: 'items',
                  render: (_: unknown, d: (typeof dimensions)[number]) =>
                    d.items.length ? d.items.map((i) => `${i.label}（+${i.points}）`).join('；') : '—',
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('alerts.portrait.models')}>
        {p.models.length ? (
          <Descriptions size="small" column={1} bordered>
            {p.models.map((m) => (
              <Descriptions.Item key={m.modelId} label={`${m.modelId} ${m.version}`}>
                <Space wrap>
                  <Typography.Text strong>{m.score}</Typography.Text>
                  {m.alertColor ? <Tag color={COLOUR_TAG[m.alertColor]}>{m.bandLabel}</Tag> : null}
                  {m.missingFacts.length ? (
                    <Typography.Text type="secondary">
                      {t('alerts.portrait.missing', { count: m.missingFacts.length })}
                    </Typography.Text>
                  ) : null}
                </Space>
                {m.traceZh.length ? (
                  <Collapse
                    ghost
                    size="small"
                    items={[
                      {
                        key: 'trace',
                        label: t('alerts.portrait.trace'),
                        children: (
                          <div style={{ color: '#666', fontSize: 12, whiteSpace: 'pre-wrap' }}>
                            {m.traceZh.join('\n')}
                          </div>
                        ),
                      },
                    ]}
                  />
                ) : null}
              </Descriptions.Item>
            ))}
          </Descriptions>
        ) : (
          <Empty />
        )}
        {p.economySource ? (
          <Typography.Text type="secondary">
            {t('alerts.portrait.economy', { source: p.economySource, date: p.economyAsOf })}
          </Typography.Text>
        ) : null}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.portrait.evidence')}>
            <List
              size="small"
              dataSource={p.evidence}
              renderItem={(item, i) => (
                <List.Item key={i}>
                  <EvidenceLine item={item} />
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('alerts.portrait.assistance')} style={{ marginTop: 16 }}>
            {p.assistance.length ? (
              <List
                size="small"
                dataSource={p.assistance}
                renderItem={(r) => (
                  <List.Item>
                    {t(`registry.category.${r.category}`, { defaultValue: r.category })} {r.validFrom} —{' '}
                    {r.validTo ?? ''}
                    {r.monthlyAmountFen !== null
                      ? ` · ${t('alerts.portrait.perMonth', { amount: yuan(r.monthlyAmountFen) })}`
                      : ''}
                  </List.Item>
                )}
              />
            ) : (
              <Typography.Text type="secondary">{t('alerts.portrait.noAssistance')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.portrait.policies')} data-testid="portrait-policies">
            {eligible.length ? (
              <List
                size="small"
                dataSource={eligible}
                renderItem={(s) => (
                  <List.Item>
                    <Space wrap>
                      <Typography.Text strong>{en ? s.nameEn : s.name}</Typography.Text>
                      <Tag color={s.status === 'eligible' ? 'green' : 'default'}>
                        {s.status === 'eligible'
                          ? t('alerts.portrait.eligible')
                          : t('alerts.portrait.needsInfo')}
                      </Tag>
                      {s.amountFen !== null
                        ? t('alerts.portrait.perMonth', { amount: yuan(s.amountFen) })
                        : null}
                    </Space>
                  </List.Item>
                )}
              />
            ) : (
              <Typography.Text type="secondary">{t('alerts.portrait.noPolicies')}</Typography.Text>
            )}
            {needsInfo.length ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('alerts.portrait.needsInfoList', {
                  count: needsInfo.length,
                  names: needsInfo.map((s) => (en ? s.nameEn : s.name)).join(en ? ', ' : '、'),
                })}
              </Typography.Paragraph>
            ) : null}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
