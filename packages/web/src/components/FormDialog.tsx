/** A modal form that saves through the API and puts the server's field messages under the fields. */
import { App, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client';
import { showFieldError } from './serverErrors';

interface Props<T, R> {
  title: string;
  /** The form's fields: a server error naming one of them is shown under it, any other as a toast. */
  fields: string[];
  initialValues?: Partial<T>;
  onClose(): void;
  onSave(values: T): Promise<R>;
  onSaved(result: R): void;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  testId?: string;
  /** Defaults to 保存 / 已保存. */
  okText?: string;
  successMessage?: string;
  /** For an action that ends or removes something. */
  danger?: boolean;
}

export function FormDialog<T extends object, R = unknown>({
  title,
  fields,
  initialValues,
  onClose,
  onSave,
  onSaved,
  children,
  testId,
  okText,
  successMessage,
  danger,
}: Props<T, R>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<T>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: T) => {
    setSaving(true);
    try {
      const result = await onSave(values);
      message.success(successMessage ?? t('common.saved'));
      onSaved(result);
    } catch (error) {
      if (!showFieldError(form, error, fields)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ danger, 'data-testid': `${testId ?? 'dialog'}-ok` }}
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
