/** The two small forms of data governance: raising a dispute on a record, answering one. */
import { Alert, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { answerDispute, raiseDispute, type SourceDispute, type SourceRecord } from './sourcesApi';

const MAX = 500;

export function RaiseDisputeModal({
  record,
  onClose,
}: {
  record: SourceRecord | undefined;
  onClose: (result?: SourceDispute) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!record}
      title={t('sources.disputeTitle')}
      okText={t('sources.submit')}
      okButtonProps={
        { disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'dispute-submit' } as never
      }
      onCancel={() => onClose()}
      destroyOnHidden
      afterClose={() => {
        setReason('');
        setFailure(undefined);
      }}
      onOk={() => {
        if (!record) return;
        setBusy(true);
        raiseDispute(record.id, reason)
          .then(onClose, (e: unknown) => setFailure(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      {record ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {record.recordKey} · {record.name} · {record.idNumberMasked}
          </Typography.Text>
          <Typography.Text type="secondary">{t('sources.disputeHint')}</Typography.Text>
          <Input.TextArea
            aria-label={t('sources.reason')}
            data-testid="dispute-reason"
            value={reason}
            maxLength={MAX}
            showCount
            rows={4}
            style={{ marginBottom: 16 }}
            placeholder={t('sources.reasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
          />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Space>
      ) : null}
    </Modal>
  );
}

export function AnswerDisputeModal({
  dispute,
  onClose,
}: {
  dispute: SourceDispute | undefined;
  onClose: (answered?: SourceDispute) => void;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'corrected' | 'rejected'>('corrected');
  const [answer, setAnswer] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!dispute}
      title={t('sources.answerTitle')}
      okText={t('sources.submit')}
      okButtonProps={
        { disabled: answer.trim().length < 2, loading: busy, 'data-testid': 'answer-submit' } as never
      }
      onCancel={() => onClose()}
      destroyOnHidden
      afterClose={() => {
        setAnswer('');
        setFailure(undefined);
      }}
      onOk={() => {
        if (!dispute) return;
        setBusy(true);
        answerDispute(dispute.id, status, answer)
          .then(onClose, (e: unknown) => setFailure(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      {dispute ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {dispute.recordKey} · {dispute.name} · {dispute.idNumberMasked}
          </Typography.Text>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            <Typography.Text strong>{t('sources.reason')}：</Typography.Text>
            {dispute.reason}
          </Typography.Paragraph>
          <Radio.Group value={status} onChange={(e) => setStatus(e.target.value)} data-testid="answer-status">
            <Radio value="corrected">{t('sources.disputeStatus.corrected')}</Radio>
            <Radio value="rejected">{t('sources.disputeStatus.rejected')}</Radio>
          </Radio.Group>
          <Typography.Text type="secondary">{t('sources.answerHint')}</Typography.Text>
          <Input.TextArea
            aria-label={t('sources.answer')}
            data-testid="answer-text"
            value={answer}
            maxLength={MAX}
            showCount
            rows={3}
            style={{ marginBottom: 16 }}
            placeholder={t('sources.answerPlaceholder')}
            onChange={(e) => setAnswer(e.target.value)}
          />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Space>
      ) : null}
    </Modal>
  );
}
