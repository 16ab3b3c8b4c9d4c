/**
 * 查看 next to a masked ID or phone number: asks why (the purpose is required and logged), then
 * shows the full value. Only for accounts holding personalData.reveal; the server checks again.
 */
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useCan } from '../../auth/AccountContext';
import { showFieldError } from '../../components/serverErrors';
import { revealField } from './householdsApi';

interface Props {
  personId: string;
  field: 'idNumber' | 'phone';
  masked: string | null | undefined;
}

/** The masked value, with the 查看 button when the account may reveal it. */
export function MaskedValue({ personId, field, masked }: Props) {
  const can = useCan();
  if (!masked) return <>—</>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <span data-testid={`masked-${field}`}>{masked}</span>
      {can('personalData.reveal') ? <RevealButton personId={personId} field={field} masked={masked} /> : null}
    </span>
  );
}

function RevealButton({ personId, field }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ purpose: string }>();
  const fieldName = t(`registry.member.${field}`);

  const submit = async ({ purpose }: { purpose: string }) => {
    setBusy(true);
    try {
      setValue((await revealField(personId, field, purpose.trim())).value);
    } catch (error) {
      if (!showFieldError(form, error, ['purpose'])) message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setValue(null);
    form.resetFields();
  };

  return (
    <>
      <Button
        type="link"
        size="small"
        onClick={() => setOpen(true)}
        data-testid={`reveal-${field}`}
        aria-label={t('registry.reveal.title', { field: fieldName })}
      >
        {t('registry.reveal.button')}
      </Button>
      <Modal
        open={open}
        title={t('registry.reveal.title', { field: fieldName })}
        onCancel={close}
        destroyOnHidden
        okText={value === null ? t('registry.reveal.ok') : t('registry.reveal.close')}
        cancelButtonProps={value === null ? {} : { style: { display: 'none' } }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => (value === null ? form.submit() : close())}
        okButtonProps={{ 'data-testid': 'reveal-ok' }}
      >
        <Alert type="info" showIcon title={t('registry.reveal.notice')} style={{ marginBottom: 16 }} />
        {value === null ? (
          <Form form={form} layout="vertical" onFinish={submit}>
            <Form.Item
              name="purpose"
              label={t('registry.reveal.purpose')}
              rules={[{ required: true, whitespace: true, message: t('registry.reveal.purposeRequired') }]}
            >
              <Input.TextArea
                rows={2}
                maxLength={200}
                placeholder={t('registry.reveal.purposePlaceholder')}
                data-testid="reveal-purpose"
              />
            </Form.Item>
          </Form>
        ) : (
          <div>
            <Typography.Text type="secondary">
              {t('registry.reveal.result', { field: fieldName })}
            </Typography.Text>
            <Typography.Paragraph
              copyable
              style={{ fontSize: 20, fontFamily: 'monospace', margin: '4px 0 0' }}
              data-testid="revealed-value"
            >
              {value}
            </Typography.Paragraph>
          </div>
        )}
      </Modal>
    </>
  );
}
