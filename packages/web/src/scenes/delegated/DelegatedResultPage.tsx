/**
 * /delegated/:id — one delegated request and, once completed, its result: only the sources and
 * fields its purpose may see (the server sends nothing else), per person and source; unknown when a
 * source was not loaded. Every load of the result is logged by the server (access log below).
 */
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { FullPageSpin } from '../../auth/RequireAccount';
import { departmentName } from '../../components/labels';
import { ApiErrorPage } from '../errors/ErrorPage';
import { AccessLogCard } from './AccessLogCard';
import {
  authorisationUrl,
  type DelegatedResult,
  fieldsLine,
  getAccess,
  getRequest,
  getResult,
} from './delegatedApi';

type Source = DelegatedResult['result']['subjects'][number]['sources'][number];

export default function DelegatedResultPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { id = '' } = useParams();
  const request = useLoad(() => getRequest(id), [id]);
  const result = useLoad(
    () =>
      request.data?.status === 'completed' && !request.data.expired ? getResult(id) : Promise.resolve(null),
    [id, request.data?.status],
  );
  const d = (k: string, v?: Record<string, unknown>) => t(`delegated.${k}`, v);
  if (request.error) return <ApiErrorPage error={request.error} />;
  const r = request.data;
  if (!r) return <FullPageSpin />;
  const data = result.data?.result;
  const sourceRows = (s: Source) =>
    s.lastAsOf === null ? (
      <Typography.Text type="secondary">{d('notLoaded')}</Typography.Text>
    ) : s.records.length === 0 ? (
      <Typography.Text type="secondary">{d('noRecord')}</Typography.Text>
    ) : (
      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
        {s.records.map((rec, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: records have no id in a frozen result
          <li key={i}>
            {fieldsLine(rec.fields, en)} <Typography.Text type="secondary">({rec.validFrom})</Typography.Text>
            {rec.nameMismatch ? <Tag color="warning">{d('nameMismatch')}</Tag> : null}
          </li>
        ))}
      </ul>
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="delegated-result">
      <Card size="small">
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {d('title')} · {en ? r.purposeName.en : r.purposeName.zh}
          </Typography.Title>
          <Link to="/delegated">{d('back')}</Link>
        </Space>
        <Descriptions
          size="small"
          bordered
          style={{ marginTop: 12 }}
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'dept', label: d('columns.department'), children: departmentName(t, r.department) },
            {
              key: 'status',
              label: d('columns.status'),
              // A tag does not wrap: in English "Completed" broke inside the narrow cell.
              children: r.resultPurgedOn ? (
                <Tag>{d('purged', { date: r.resultPurgedOn })}</Tag>
              ) : r.expired ? (
                <Tag>{d('expired')}</Tag>
              ) : (
                <Tag color={r.status === 'completed' ? 'green' : undefined}>{d(`status.${r.status}`)}</Tag>
              ),
            },
            {
              key: 'by',
              label: d('columns.requestedAt'),
              children: `${r.requestedByName} ${r.requestedAt.slice(0, 10)}`,
            },
            {
              key: 'auth',
              label: d('authorisation'),
              children: (
                <Space wrap size={8}>
                  <span>{`${r.authorisation.reference}（${r.authorisation.signedOn}）`}</span>
                  {r.authorisation.fileType ? (
                    <a href={authorisationUrl(id)} download data-testid="authorisation-scan">
                      {d('downloadScan')}
                    </a>
                  ) : null}
                </Space>
              ),
            },
            { key: 'asOf', label: d('columns.asOf'), children: r.asOf ?? '—' },
            { key: 'exp', label: d('columns.expiresOn'), children: r.expiresOn ?? '—' },
          ]}
        />
        {r.refusalReason ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={`${d('refuseReason')}：${r.refusalReason}`}
          />
        ) : null}
      </Card>
      {result.error instanceof ApiError ? (
        <Alert type="warning" showIcon title={errorText(result.error)} />
      ) : null}
      {data ? (
        <Card size="small" title={d('result')}>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={d('resultHint', {
              purpose: en ? data.purposeName.en : data.purposeName.zh,
              asOf: data.asOf,
              expiresOn: r.expiresOn,
            })}
            description={`${d('legal')}${en ? ': ' : '：'}${data.legal.join('；')}`}
          />
          {data.subjects.map((s) => (
            <Card
              key={s.idNumberMasked}
              type="inner"
              size="small"
              style={{ marginBottom: 12 }}
              title={`${s.name} ${s.idNumberMasked} · ${d(`relationships.${s.relationship}`)}`}
            >
              <Table<Source>
                size="small"
                rowKey="source"
                pagination={false}
                dataSource={s.sources}
                columns={[
                  {
                    key: 'src',
                    title: d('columns.source'),
                    width: 220,
                    render: (_, x) => (en ? x.labelEn : x.label),
                  },
                  { key: 'recs', title: d('result'), render: (_, x) => sourceRows(x) },
                ]}
              />
            </Card>
          ))}
        </Card>
      ) : null}
      <AccessLogCard load={() => getAccess(id)} deps={[id, result.data]} />
    </Space>
  );
}
