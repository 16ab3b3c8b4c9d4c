/**
 * Records of a source with a "dispute" action (verification centre, county officers), and the
 * dispute list (the owning department answers; the others follow the status).
 */
import { Alert, Button, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { departmentName, formatTime } from '../../components/labels';
import { AnswerDisputeModal, RaiseDisputeModal } from './DisputeDialogs';
import {
  type DisputeStatus,
  listDisputes,
  listRecords,
  type SourceDispute,
  type SourceRecord,
  type SourceType,
} from './sourcesApi';

const STATUS_COLOR: Record<DisputeStatus, string> = {
  open: 'orange',
  corrected: 'green',
  rejected: 'default',
};

function useSourceLabel(sources: SourceType[]) {
  const { i18n } = useTranslation();
  return (id: string) => {
    const s = sources.find((x) => x.id === id);
    return s ? (i18n.language === 'en' ? s.labelEn : s.label) : id;
  };
}

export function RecordsPanel({ sources, onDisputed }: { sources: SourceType[]; onDisputed: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const label = useSourceLabel(sources);
  const [source, setSource] = useState<string>();
  const [page, setPage] = useState(1);
  const [target, setTarget] = useState<SourceRecord>();
  const [notice, setNotice] = useState<string>();
  const records = useLoad(() => listRecords(source, page), [source, page]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        style={{ minWidth: 260 }}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('sources.allSources')}
        value={source}
        data-testid="records-source"
        onChange={(v) => {
          setSource(v);
          setPage(1);
        }}
        options={sources.map((s) => ({ value: s.id, label: label(s.id) }))}
      />
      {notice ? <Alert type="success" showIcon closable title={notice} data-testid="dispute-notice" /> : null}
      <Table<SourceRecord>
        rowKey="id"
        size="small"
        loading={records.loading}
        dataSource={records.data?.items ?? []}
        scroll={{ x: 800 }}
        pagination={{ current: page, total: records.data?.total ?? 0, pageSize: 10, onChange: setPage }}
        columns={[
          { title: t('sources.source'), dataIndex: 'source', render: label },
          { title: t('sources.recordKey'), dataIndex: 'recordKey' },
          { title: t('sources.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('sources.name'), dataIndex: 'name' },
          { title: t('sources.validFrom'), dataIndex: 'validFrom' },
          ...(can('source.dispute')
            ? [
                {
                  title: '',
                  key: 'dispute',
                  render: (_: unknown, r: SourceRecord) => (
                    <Button size="small" onClick={() => setTarget(r)} data-testid="dispute-button">
                      {t('sources.dispute')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <RaiseDisputeModal
        record={target}
        onClose={(result) => {
          setTarget(undefined);
          if (!result) return;
          setNotice(result.repeated ? t('sources.disputeRepeated') : t('sources.disputed'));
          onDisputed();
        }}
      />
    </Space>
  );
}

export function DisputesPanel({
  sources,
  refresh,
  onAnswered,
}: {
  sources: SourceType[];
  refresh: unknown;
  onAnswered: () => void;
}) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const label = useSourceLabel(sources);
  const [status, setStatus] = useState<DisputeStatus | 'all'>('open');
  const [page, setPage] = useState(1);
  const [target, setTarget] = useState<SourceDispute>();
  const disputes = useLoad(
    () => listDisputes(status === 'all' ? undefined : status, page),
    [status, page, refresh],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Segmented
        value={status}
        data-testid="dispute-filter"
        onChange={(v) => {
          setStatus(v as DisputeStatus | 'all');
          setPage(1);
        }}
        options={[
          { value: 'open', label: t('sources.disputeStatus.open') },
          { value: 'corrected', label: t('sources.disputeStatus.corrected') },
          { value: 'rejected', label: t('sources.disputeStatus.rejected') },
          { value: 'all', label: t('sources.statusAll') },
        ]}
      />
      <Table<SourceDispute>
        rowKey="id"
        size="small"
        loading={disputes.loading}
        dataSource={disputes.data?.items ?? []}
        scroll={{ x: 1000 }}
        data-testid="dispute-table"
        pagination={{ current: page, total: disputes.data?.total ?? 0, pageSize: 10, onChange: setPage }}
        columns={[
          {
            title: t('sources.statusLabel'),
            dataIndex: 'status',
            width: 90,
            render: (s: DisputeStatus) => (
              <Tag color={STATUS_COLOR[s]}>{t(`sources.disputeStatus.${s}`)}</Tag>
            ),
          },
          { title: t('sources.source'), dataIndex: 'source', width: 120, render: label },
          {
            title: t('sources.quality.department'),
            dataIndex: 'department',
            width: 110,
            render: (d: string) => departmentName(t, d),
          },
          { title: t('sources.recordKey'), dataIndex: 'recordKey' },
          {
            title: t('sources.name'),
            dataIndex: 'name',
            render: (_: string, d) => `${d.name} ${d.idNumberMasked}`,
          },
          { title: t('sources.reason'), dataIndex: 'reason' },
          {
            title: t('sources.raisedBy'),
            dataIndex: 'raisedAt',
            render: (at: string, d) => (
              <Typography.Text>
                {d.raisedBy}
                <br />
                <Typography.Text type="secondary">{formatTime(at, i18n.language)}</Typography.Text>
              </Typography.Text>
            ),
          },
          {
            title: t('sources.answer'),
            dataIndex: 'answer',
            render: (answer: string | null, d) =>
              answer ? (
                answer
              ) : can('source.import') ? (
                <Button size="small" type="primary" onClick={() => setTarget(d)} data-testid="answer-button">
                  {t('sources.answerTitle')}
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <AnswerDisputeModal
        dispute={target}
        onClose={(answered) => {
          setTarget(undefined);
          if (answered) {
            disputes.reload();
            onAnswered();
          }
        }}
      />
    </Space>
  );
}
