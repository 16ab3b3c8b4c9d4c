/**
 * 登记送达: how, when and to whom a document was served. 留置送达 asks for the witness and the reason
 * given for refusing, 邮寄送达 for the tracking number; the server checks again and answers in
 * Chinese. One Idempotency-Key per opened dialog, so a retried submission records once.
 */
import { Alert, DatePicker, Form, Input, Modal, message, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { newIdempotencyKey } from '../resident/residentApi';
import { recordService, type ServiceBody, type StatutoryDocument } from './decisionsApi';

const METHODS = ['direct', 'leftAtAddress', 'post', 'electronic'] as const;
const RELATIONS = ['self', 'adultFamilyMember', 'agent'] as const;

type Values = Omit<ServiceBody, 'servedOn'> & { servedOn: Dayjs };

export function ServiceDialog({
  document: d,
  onClose,
}: {
  document: StatutoryDocument;
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
      const { servedOn, ...rest } = values;
      const body = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => typeof v !== 'string' || v.trim() !== ''),
      ) as Omit<ServiceBody, 'servedOn'>;
      await recordService(d.id, { ...body, servedOn: servedOn.format('YYYY-MM-DD') }, key);
      void message.success(t('decisions.service.done'));
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
      title={t('decisions.service.title', { title: d.title })}
      okText={t('decisions.service.submit')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      okButtonProps={{ 'data-testid': 'service-submit' } as never}
    >
      <Typography.Paragraph type="secondary">{d.number}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          method: 'direct',
          recipientRelation: 'self',
          servedOn: dayjs(),
          recipientName: d.addressee,
        }}
      >
        <Form.Item name="method" label={t('decisions.service.method')}>
          <Select options={METHODS.map((m) => ({ value: m, label: t(`decisions.service.methods.${m}`) }))} />
        </Form.Item>
        <Form.Item name="servedOn" label={t('decisions.service.servedOn')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(day) => day.isAfter(dayjs(), 'day') || day.isBefore(dayjs(d.issuedOn), 'day')}
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
      </Form>
      {failure ? <Alert type="error" showIcon title={errorText(failure)} /> : null}
    </Modal>
  );
}
