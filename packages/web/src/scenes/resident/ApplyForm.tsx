/** 申请救助 (mobile): the items to apply for, a note; submitted for the resident's own household. */
import { Alert, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import styles from './resident.module.css';
import { applyOnline, newIdempotencyKey, ONLINE_ITEMS } from './residentApi';

export function ApplyForm({
  householdId,
  onDone,
}: {
  householdId: string;
  onDone(submitted: boolean): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ items: string[]; note?: string }>();
  // The same key for every retry of this form: a double tap or a lost answer makes one application.
  const key = useMemo(() => newIdempotencyKey(), []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async (values: { items: string[]; note?: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      await applyOnline(householdId, values.items, values.note?.trim() || undefined, key);
      onDone(true);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.section} data-testid="apply-form">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('resident.apply.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('resident.apply.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" size="large" onFinish={submit}>
        <Form.Item
          name="items"
          label={t('resident.apply.items')}
          rules={[{ required: true, type: 'array', min: 1, message: t('resident.apply.itemsRequired') }]}
        >
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            {ONLINE_ITEMS.map((id) => (
              <Checkbox key={id} value={id} data-testid={`apply-item-${id}`}>
                {t(`resident.policies.${id}`)}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="note" label={t('resident.apply.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        {failure ? (
          <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
        ) : null}
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="apply-submit">
            {t('resident.apply.submit')}
          </Button>
          <Button block onClick={() => onDone(false)}>
            {t('resident.apply.cancel')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
