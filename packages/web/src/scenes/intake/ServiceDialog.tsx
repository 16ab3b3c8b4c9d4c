/**
 * 登记送达: how, when and to whom a document was served. 留置送达 asks for the witness and the reason
 * given for refusing, 邮寄送达 for the tracking number; the server checks again and answers in
 * Chinese. One Idempotency-Key per opened dialog, so a retried submission records once. With
 * `correcting` (the current record) it is 更正送达记录: filled in from that record, with a reason.
 */
import { Alert, DatePicker, Form, Input, Modal, message, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { afterChinaToday, chinaToday } from '../../components/chinaToday';
import { newIdempotencyKey } from '../resident/residentApi';
import {
  correctService,
  type DocumentService,
  recordService,
  type ServiceBody,
  type StatutoryDocument,
} from './decisionsApi';

const METHODS = ['direct', 'leftAtAddress', 'post', 'electronic'] as const;
const RELATIONS = ['self', 'adultFamilyMember', 'agent'] as const;

type Values = Omit<ServiceBody, 'servedOn'> & { servedOn: Dayjs; reason?: string };

/** The form's starting values: the record being corrected, else today and the addressee in person. */
function initialValues(d: StatutoryDocument, s: DocumentService | undefined) {
  if (!s)
    return {
      method: 'direct',
      recipientRelation: 'self',
      servedOn: chinaToday(),
      recipientName: d.addressee,
    };
  const optional = (v: string | null) => v ?? undefined;
  return {
    method: s.method,
    servedOn: dayjs(s.servedOn),
    recipientName: s.recipientName,
    recipientRelation: s.recipientRelation,
    witnessName: optional(s.witnessName),
    refusalReason: optional(s.refusalReason),
    trackingNumber: optional(s.trackingNumber),
    serverName: s.serverName,
    note: optional(s.note),
  };
}

export function ServiceDialog({
  document: d,
  correcting,
  onClose,
}: {
  document: StatutoryDocument;
  /** The current service record, when correcting it. */
  correcting?: DocumentService;
  onClose(recorded: boolean): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const method = Form.useWatch('method', form);
  const key = useMemo(() => newIdempotencyKey(), []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const required = (what: string) => [
    { required: true, whitespace: true, message: t('decisions.service.required', { what }) },
  ];

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const { servedOn, reason, ...rest } = values;
      const body = {
        ...(Object.fromEntries(
          Object.entries(rest).filter(([, v]) => typeof v !== 'string' || v.trim() !== ''),
        ) as Omit<ServiceBody, 'servedOn'>),
        servedOn: servedOn.format('YYYY-MM-DD'),
      };
      if (correcting) {
        await correctService(d.id, { ...body, corrects: correcting.id, reason: reason ?? '' }, key);
        void message.success(t('decisions.service.corrected'));
      } else {
        await recordService(d.id, body, key);
        void message.success(t('decisions.service.done'));
      }
      onClose(true);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t(correcting ? 'decisions.service.correctTitle' : 'decisions.service.title', { title: d.title })}
      okText={t(correcting ? 'decisions.service.correctSubmit' : 'decisions.service.submit')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      okButtonProps={{ 'data-testid': 'service-submit' } as never}
    >
      <Typography.Paragraph type="secondary">{d.number}</Typography.Paragraph>
      {correcting ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('decisions.service.correctHint')}
        />
      ) : null}
      <Form form={form} layout="vertical" initialValues={initialValues(d, correcting)}>
        <Form.Item name="method" label={t('decisions.service.method')}>
          <Select options={METHODS.map((m) => ({ value: m, label: t(`decisions.service.methods.${m}`) }))} />
        </Form.Item>
        <Form.Item name="servedOn" label={t('decisions.service.servedOn')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(day) => afterChinaToday(day) || day.isBefore(dayjs(d.issuedOn), 'day')}
          />
        </Form.Item>
        <Form.Item
          name="recipientName"
          label={t('decisions.service.recipientName')}
          rules={required(t('decisions.service.recipientName'))}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="recipientRelation" label={t('decisions.service.recipientRelation')}>
          <Select
            options={RELATIONS.map((r) => ({ value: r, label: t(`decisions.service.relations.${r}`) }))}
          />
        </Form.Item>
        {method === 'leftAtAddress' ? (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('decisions.service.leftHint')}
            />
            <Form.Item
              name="witnessName"
              label={t('decisions.service.witnessName')}
              rules={required(t('decisions.service.witnessName'))}
            >
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item
              name="refusalReason"
              label={t('decisions.service.refusalReason')}
              rules={required(t('decisions.service.refusalReason'))}
            >
              <Input maxLength={200} />
            </Form.Item>
          </>
        ) : null}
        {method === 'post' ? (
          <Form.Item name="trackingNumber" label={t('decisions.service.trackingNumber')}>
            <Input maxLength={40} />
          </Form.Item>
        ) : null}
        <Form.Item name="serverName" label={t('decisions.service.serverName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="note" label={t('decisions.service.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {correcting ? (
          <Form.Item
            name="reason"
            label={t('decisions.service.reason')}
            rules={[...required(t('decisions.service.reason')), { min: 2 }]}
          >
            <Input.TextArea rows={2} maxLength={500} data-testid="service-correction-reason" />
          </Form.Item>
        ) : null}
      </Form>
      {failure ? <Alert type="error" showIcon title={errorText(failure)} /> : null}
    </Modal>
  );
}
