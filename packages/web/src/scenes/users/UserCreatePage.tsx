/** /users/new — an administrator adds an account inside their region. */
import { App, Button, Card, Form, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, call, errorText } from '../../api/client';
import { useAccount } from '../../auth/AccountContext';
import { showFieldError } from '../../components/serverErrors';
import { USER_FIELDS, UserFields, type UserFormValues } from './UserFields';

export default function UserCreatePage() {
  const { t } = useTranslation();
  const account = useAccount();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: UserFormValues) => {
    setSaving(true);
    try {
      const created = await call(
        api.POST('/api/users', {
          body: {
            ...values,
            displayName: values.displayName.trim(),
            department: values.role === 'departmentOfficer' ? (values.department ?? null) : null,
          },
        }),
      );
      message.success(t('users.created'));
      navigate(`/users/${created.id}`);
    } catch (error) {
      if (!showFieldError(form, error, USER_FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('users.createTitle')} style={{ maxWidth: 640 }}>
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ regionCode: account.regionCode, role: 'caseworker' }}
      >
        <UserFields creating />
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="user-submit">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
