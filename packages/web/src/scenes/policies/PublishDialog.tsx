/** Publish a checked draft: effective date (today or later) and the reason, both kept with the version. */
import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { todayInChina } from '../../components/chinaToday';
import { publishDraft } from './policiesApi';

export function PublishDialog(props: {
  file: string;
  revision: number;
  onClose(): void;
  onPublished(message: string): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ effectiveDate: Dayjs; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const today = todayInChina();

  const submit = async (values: { effectiveDate: Dayjs; reason: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const effectiveDate = values.effectiveDate.format('YYYY-MM-DD');
      const result = await publishDraft({
        file: props.file,
        effectiveDate,
        reason: values.reason.trim(),
        revision: props.revision,
      });
      const files = result.versions
        .map((v) => `${v.file} ${t('policies.versionNo', { n: v.versionNo })}`)
        .join('、');
      props.onPublished(t('policies.publish.published', { files, date: effectiveDate }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('policies.publish.title')}
      okText={t('policies.publish.confirm')}
      cancelText={t('common.cancel')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'publish-confirm' } as never}
    >
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="publish-error" />
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ effectiveDate: dayjs(today) }}>
        <Form.Item
          name="effectiveDate"
          label={t('policies.publish.effectiveDate')}
          extra={t('policies.publish.effectiveHelp')}
          rules={[{ required: true }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.format('YYYY-MM-DD') < today}
            data-testid="publish-date"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('policies.publish.reason')}
          rules={[{ required: true, min: 2, max: 1000 }]}
        >
          <Input.TextArea
            rows={3}
            placeholder={t('policies.publish.reasonPlaceholder')}
            data-testid="publish-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
