import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorText } from '../../api/client';
import { showFieldError } from '../../components/serverErrors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Changing the password ends the person's sessions elsewhere; the answer says how many. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async ({ currentPassword, newPassword }: Values) => {
    setSaving(true);
    try {
      const { otherSessionsEnded } = await call(
        api.POST('/api/account/password', { body: { currentPassword, newPassword } }),
      );
      message.success(
        otherSessionsEnded > 0
          ? t('account.otherSessionsEnded', { count: otherSessionsEnded })
          : t('account.passwordChanged'),
      );
      form.resetFields();
    } catch (error) {
      if (!showFieldError(form, error, ['currentPassword', 'newPassword'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
      <Form.Item
        name="currentPassword"
        label={t('account.currentPassword')}
        rules={[{ required: true, message: t('account.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        extra={t('account.passwordRule')}
        rules={[{ required: true, message: t('account.newRequired') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('account.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}
