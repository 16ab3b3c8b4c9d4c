import { App, Form, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorText, type User } from '../../api/client';
import { showFieldError } from './serverErrors';
import { USER_FIELDS, UserFields, type UserFormValues } from './UserFields';

interface Props {
  user: User;
  onClose(): void;
  onSaved(user: User): void;
}

/** Edits name, role and department; username and region stay as created (the API does not change them). */
export function UserEditDialog({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: UserFormValues) => {
    setSaving(true);
    try {
      const saved = await call(
        api.PATCH('/api/users/{id}', {
          params: { path: { id: user.id } },
          body: {
            displayName: values.displayName.trim(),
            role: values.role,
            department: values.role === 'departmentOfficer' ? (values.department ?? null) : null,
          },
        }),
      );
      message.success(t('users.saved'));
      onSaved(saved);
    } catch (error) {
      if (!showFieldError(form, error, USER_FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('users.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ displayName: user.displayName, role: user.role, department: user.department }}
      >
        <UserFields creating={false} />
      </Form>
    </Modal>
  );
}
