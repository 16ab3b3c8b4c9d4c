/** A modal form that saves through the API and puts the server's field messages under the fields. */
import { App, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { showRegistryFieldError } from './PersonFields';

interface Props<T> {
  title: string;
  fields: string[];
  initialValues?: Partial<T>;
  onClose(): void;
  onSave(values: T): Promise<unknown>;
  onSaved(): void;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  testId?: string;
}

export function FormDialog<T extends object>({
  title,
  fields,
  initialValues,
  onClose,
  onSave,
  onSaved,
  children,
  testId,
}: Props<T>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<T>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: T) => {
    setSaving(true);
    try {
      await onSave(values);
      message.success(t('registry.household.saved'));
      onSaved();
    } catch (error) {
      if (!showRegistryFieldError(form, error, fields)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': `${testId ?? 'dialog'}-ok` }}
    >
      <Form<T>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        data-testid={testId}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
