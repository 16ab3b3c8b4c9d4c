/** 提出异议: reason (5+ characters) and an anonymous choice; one Idempotency-Key per opened dialog. */
import { Alert, Checkbox, Form, Input, Modal, message } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { newIdempotencyKey, objectToNotice } from '../resident/residentApi';

export function ObjectionDialog({
  noticeId,
  onClose,
}: {
  noticeId: string;
  onClose(submitted: boolean): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string; anonymous: boolean }>();
  const key = useMemo(() => newIdempotencyKey(), []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async () => {
    let values: { reason: string; anonymous: boolean };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await objectToNotice(noticeId, values.reason, !!values.anonymous, key);
      void message.success(t('resident.objection.done'));
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
      title={t('resident.objection.title')}
      okText={t('resident.objection.submit')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      okButtonProps={{ 'data-testid': 'objection-submit' } as never}
    >
      <Form form={form} layout="vertical" initialValues={{ anonymous: false }}>
        <Form.Item
          name="reason"
          label={t('resident.objection.reason')}
          rules={[{ required: true, min: 5, whitespace: true, message: t('resident.objection.reasonHint') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={1000}
            showCount
            placeholder={t('resident.objection.reasonHint')}
          />
        </Form.Item>
        <Form.Item name="anonymous" valuePropName="checked">
          <Checkbox>{t('resident.objection.anonymous')}</Checkbox>
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon title={errorText(failure)} /> : null}
    </Modal>
  );
}
