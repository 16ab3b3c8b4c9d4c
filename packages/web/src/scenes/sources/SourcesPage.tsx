/**
 * 部门数据: upload a department's file (progress of the upload, then of the server's import),
 * the import history with counts and error reports, and the records not matched to anyone.
 */
import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  DatePicker,
  Descriptions,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { chinaToday } from '../../components/chinaToday';
import { departmentName } from '../../components/labels';
import { AnomalyList } from './AnomalyList';
import { DisputesPanel, RecordsPanel } from './GovernancePanels';
import { ImportHistory } from './ImportHistory';
import { QualityPanel } from './QualityPanel';
import {
  getImport,
  listDisputes,
  listImports,
  listSources,
  listUnmatched,
  type SourceImport,
  uploadFile,
} from './sourcesApi';

export default function SourcesPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const sources = useLoad(listSources, []);
  const [source, setSource] = useState<string>();
  const [asOf, setAsOf] = useState<Dayjs>(chinaToday());
  const [uploadPercent, setUploadPercent] = useState<number>();
  const [current, setCurrent] = useState<SourceImport>();
  const [failure, setFailure] = useState<string>();
  const [page, setPage] = useState(1);
  const [unmatchedPage, setUnmatchedPage] = useState(1);
  const history = useLoad(() => listImports(page), [page, current?.status]);
  const unmatched = useLoad(() => listUnmatched(unmatchedPage), [unmatchedPage, current?.status]);
  // Bumped when a dispute is raised or answered: the open count, the list and the figures follow.
  const [round, setRound] = useState(0);
  const bump = () => setRound((r) => r + 1);
  const openDisputes = useLoad(() => listDisputes('open', 1), [round]);
  const spec = sources.data?.find((s) => s.id === source);

  useEffect(() => {
    if (current?.status !== 'running') return;
    const timer = setTimeout(() => {
      getImport(current.id).then(setCurrent, (e: unknown) => setFailure(errorText(e)));
    }, 500);
    return () => clearTimeout(timer);
  }, [current]);

  const serverPercent =
    current && current.bytes > 0 ? Math.round((current.bytesRead / current.bytes) * 100) : 0;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('sources.title')}</Typography.Title>
      <Card title={t('sources.uploadTitle')}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            style={{ minWidth: 280 }}
            placeholder={t('sources.pickSource')}
            value={source}
            onChange={setSource}
            data-testid="source-select"
            showSearch={{ optionFilterProp: 'label' }}
            options={(sources.data ?? []).map((s) => ({
              value: s.id,
              label: `${en ? s.labelEn : s.label} · ${departmentName(t, s.department)}`,
            }))}
          />
          <DatePicker value={asOf} onChange={(d) => d && setAsOf(d)} allowClear={false} />
        </Space>
        {spec ? (
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('sources.asOfMeaning')}>{spec.asOfNote}</Descriptions.Item>
            <Descriptions.Item label={t('sources.columns')}>
              {spec.fields.map((f) => `${f.header}${f.required ? '*' : ''}`).join('，')}
            </Descriptions.Item>
            {spec.allOrNothing ? (
              <Descriptions.Item label={t('sources.allOrNothing')}>
                {t('sources.allOrNothingHint')}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        ) : null}
        <Upload.Dragger
          disabled={!source}
          multiple={false}
          showUploadList={false}
          accept=".csv,.xlsx,.json,.jsonl"
          customRequest={({ file }) => {
            setFailure(undefined);
            setCurrent(undefined);
            setUploadPercent(0);
            uploadFile(source as string, file as File, asOf.format('YYYY-MM-DD'), setUploadPercent).then(
              setCurrent,
              (e) => setFailure(en ? (e?.messageEn ?? e?.message) : e?.message),
            );
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{source ? t('sources.drop') : t('sources.pickFirst')}</p>
          <p className="ant-upload-hint">{t('sources.formats')}</p>
        </Upload.Dragger>
        {uploadPercent !== undefined ? (
          <div style={{ marginTop: 16 }} data-testid="import-progress">
            <Typography.Text>{t('sources.uploading')}</Typography.Text>
            <Progress percent={uploadPercent} size="small" />
            {current ? (
              <>
                <Typography.Text>{t('sources.importing', { rows: current.rowsRead })}</Typography.Text>
                <Progress
                  percent={current.status === 'running' ? serverPercent : 100}
                  status={
                    current.status === 'running'
                      ? 'active'
                      : current.status === 'done'
                        ? 'success'
                        : 'exception'
                  }
                  size="small"
                />
              </>
            ) : null}
          </div>
        ) : null}
        {current && current.status !== 'running' ? (
          <Alert
            style={{ marginTop: 16 }}
            type={current.status === 'done' ? (current.rejected > 0 ? 'warning' : 'success') : 'error'}
            showIcon
            data-testid="import-result"
            title={current.repeated ? t('sources.repeated') : t(`sources.status.${current.status}`)}
            description={
              <>
                {current.message ??
                  t('sources.counts', {
                    read: current.rowsRead,
                    inserted: current.inserted,
                    updated: current.updated,
                    unchanged: current.unchanged,
                    rejected: current.rejected,
                    unmatched: current.unmatched,
                  })}
                <AnomalyList anomalies={current.anomalies} />
              </>
            }
          />
        ) : null}
        {failure ? <Alert style={{ marginTop: 16 }} type="error" showIcon title={failure} /> : null}
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'history',
              label: t('sources.history'),
              children: (
                <ImportHistory
                  items={history.data?.items ?? []}
                  total={history.data?.total ?? 0}
                  page={page}
                  onPage={setPage}
                  sources={sources.data ?? []}
                  loading={history.loading}
                />
              ),
            },
            {
              key: 'unmatched',
              label: t('sources.unmatchedTab', { count: unmatched.data?.total ?? 0 }),
              children: (
                <Table
                  rowKey="id"
                  size="small"
                  dataSource={unmatched.data?.items ?? []}
                  pagination={{
                    current: unmatchedPage,
                    total: unmatched.data?.total ?? 0,
                    pageSize: 10,
                    onChange: setUnmatchedPage,
                  }}
                  columns={[
                    { title: t('sources.source'), dataIndex: 'source' },
                    { title: t('sources.recordKey'), dataIndex: 'recordKey' },
                    { title: t('sources.idNumber'), dataIndex: 'idNumberMasked' },
                    { title: t('sources.name'), dataIndex: 'name' },
                    { title: t('sources.validFrom'), dataIndex: 'validFrom' },
                  ]}
                />
              ),
            },
            {
              key: 'records',
              label: t('sources.recordsTab'),
              children: <RecordsPanel sources={sources.data ?? []} onDisputed={bump} />,
            },
            {
              key: 'disputes',
              label: t('sources.disputesTab', { count: openDisputes.data?.total ?? 0 }),
              children: <DisputesPanel sources={sources.data ?? []} refresh={round} onAnswered={bump} />,
            },
            {
              key: 'quality',
              label: t('sources.qualityTab'),
              children: <QualityPanel refresh={`${round}-${current?.status}`} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
