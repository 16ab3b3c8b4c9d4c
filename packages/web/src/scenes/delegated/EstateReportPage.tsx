/**
 * /delegated/estate/:id — an estate inquiry (身后一件事): the refusal with its reason, or the one
 * combined report as of the date of death, section by section, with the PDF. Every load is logged.
 */
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { FullPageSpin } from '../../auth/RequireAccount';
import { ApiErrorPage } from '../errors/ErrorPage';
import { yuan } from '../households/registryLabels';
import { AccessLogCard } from './AccessLogCard';
import { type EstateInquiry, estatePdfUrl, fieldsLine, getEstate, getEstateAccess } from './delegatedApi';

type Section = NonNullable<EstateInquiry['report']>['sections'][number];
type Item = Section['items'][number];

export default function EstateReportPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { id = '' } = useParams();
  const loaded = useLoad(() => getEstate(id), [id]);
  const e = (k: string, v?: Record<string, unknown>) => t(`delegated.estate.${k}`, v);
  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const v = loaded.data;
  if (!v) return <FullPageSpin />;
  const report = v.report;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="estate-report">
      <Card size="small">
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {e('report')}
          </Typography.Title>
          <Space wrap>
            <Link to="/delegated?tab=estate">{e('back')}</Link>
            {v.status === 'issued' ? (
              <Button type="primary" href={estatePdfUrl(id)} target="_blank" data-testid="estate-pdf">
                {e('pdf')}
              </Button>
            ) : null}
          </Space>
        </Space>
        <Descriptions
          size="small"
          bordered
          style={{ marginTop: 12 }}
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'no', label: 'No.', children: v.documentNumber },
            {
              key: 'dead',
              label: e('deceased'),
              children: `${v.deceased.name} ${v.deceased.idNumberMasked}`,
            },
            { key: 'died', label: e('deathDate'), children: v.deceased.deathDate ?? '—' },
            {
              key: 'heir',
              label: e('heir'),
              children: `${v.heir.name} ${v.heir.idNumberMasked}（${e(`relationships.${v.heir.relationship}`)}）`,
            },
            {
              key: 'basis',
              label: e('basis'),
              children: v.heir.kinshipBasis
                ? `${e(`bases.${v.heir.kinshipBasis}`)}${v.heir.notarisedReference ? ` ${v.heir.notarisedReference}` : ''}`
                : '—',
            },
            {
              key: 'status',
              label: e('columns.status'),
              children: (
                <Tag color={v.status === 'issued' ? 'success' : 'error'}>{e(`status.${v.status}`)}</Tag>
              ),
            },
          ]}
        />
        {v.refusalReason ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={en ? (v.refusalReasonEn ?? v.refusalReason) : v.refusalReason}
          />
        ) : null}
      </Card>
      {report?.sections.map((s) => (
        <Card
          key={s.key}
          size="small"
          title={`${en ? s.labelEn : s.label}${s.total !== null ? ` · ${e('total')} ${yuan(s.total)}` : ''}`}
          data-testid={`estate-section-${s.key}`}
        >
          <Table<Item>
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={false}
            dataSource={s.items}
            locale={{
              emptyText: s.sources.every((x) => x.lastAsOf === null)
                ? t('delegated.notLoaded')
                : t('delegated.noRecord'),
            }}
            columns={[
              {
                key: 'src',
                title: t('delegated.columns.source'),
                width: 200,
                render: (_, i) => (en ? i.labelEn : i.label),
              },
              {
                key: 'what',
                title: '',
                render: (_, i) => fieldsLine(i.fields, en),
              },
              {
                key: 'date',
                title: t('delegated.columns.asOf'),
                width: 200,
                render: (_, i) =>
                  i.afterDeath ? (
                    <Tag color="warning">{e('afterDeath', { date: i.validFrom })}</Tag>
                  ) : (
                    i.validFrom
                  ),
              },
            ]}
          />
        </Card>
      ))}
      {report?.notes.map((n) => (
        <Typography.Text key={n.zh} type="secondary">
          {en ? n.en : n.zh}
        </Typography.Text>
      ))}
      <AccessLogCard load={() => getEstateAccess(id)} deps={[id, loaded.data]} />
    </Space>
  );
}
