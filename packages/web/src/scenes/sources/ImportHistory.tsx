/** The import history: counts, status and the error report of every import in the user's scope. */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { AnomalyTag } from './AnomalyList';
import { errorReportUrl, type SourceImport, type SourceType } from './sourcesApi';

const STATUS_COLOR = { running: 'processing', done: 'green', refused: 'red', failed: 'orange' } as const;

export function ImportHistory({
  items,
  total,
  page,
  onPage,
  sources,
  loading,
}: {
  items: SourceImport[];
  total: number;
  page: number;
  onPage: (page: number) => void;
  sources: SourceType[];
  loading: boolean;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const label = (id: string) => {
    const s = sources.find((x) => x.id === id);
    return s ? (en ? s.labelEn : s.label) : id;
  };
  return (
    <Table<SourceImport>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={items}
      scroll={{ x: 1080 }}
      pagination={{ current: page, total, pageSize: 10, onChange: onPage, showSizeChanger: false }}
      columns={[
        {
          title: t('sources.startedAt'),
          dataIndex: 'startedAt',
          render: (v: string) => new Date(v).toLocaleString(),
        },
        { title: t('sources.source'), dataIndex: 'source', render: label },
        { title: t('sources.fileName'), dataIndex: 'fileName', ellipsis: true },
        { title: t('sources.asOf'), dataIndex: 'asOf' },
        {
          title: t('sources.statusLabel'),
          dataIndex: 'status',
          render: (status: SourceImport['status'], row) => (
            <Tooltip title={row.message ?? undefined}>
              <Tag color={STATUS_COLOR[status]}>{t(`sources.status.${status}`)}</Tag>
            </Tooltip>
          ),
        },
        { title: t('sources.read'), dataIndex: 'rowsRead', align: 'right' },
        { title: t('sources.inserted'), dataIndex: 'inserted', align: 'right' },
        { title: t('sources.updated'), dataIndex: 'updated', align: 'right' },
        { title: t('sources.unchanged'), dataIndex: 'unchanged', align: 'right' },
        {
          title: t('sources.rejected'),
          dataIndex: 'rejected',
          align: 'right',
          render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n),
        },
        { title: t('sources.unmatched'), dataIndex: 'unmatched', align: 'right' },
        {
          title: t('sources.anomalies.column'),
          dataIndex: 'anomalies',
          render: (a: SourceImport['anomalies']) => <AnomalyTag anomalies={a} />,
        },
        {
          title: t('sources.duration'),
          dataIndex: 'durationMs',
          render: (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`),
        },
        {
          title: t('sources.errorReport'),
          key: 'report',
          render: (_: unknown, row) =>
            row.rejected > 0 ? (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                href={errorReportUrl(row.id)}
                data-testid="error-report"
              >
                {t('sources.download')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
