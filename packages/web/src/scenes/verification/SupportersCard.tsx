/**
 * Liable supporters living apart (adult children in another household): the list, and adding one
 * by ID number. A supporter registered outside the user's region shows without a name.
 */
import { App, Button, Card, Form, Input, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { showFieldError } from '../../components/serverErrors';
import { addSupporter, listSupporters, type SupporterRelationship } from './verificationApi';

const RELATIONSHIPS: SupporterRelationship[] = ['son', 'daughter', 'spouse', 'parent', 'other'];

export function SupportersCard(props: { householdId: string; canWrite: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ idNumber: string; relationship: SupporterRelationship }>();
  const [saving, setSaving] = useState(false);
  const loaded = useLoad(() => listSupporters(props.householdId), [props.householdId]);
  const s = (key: string, values?: Record<string, unknown>) => t(`verification.supporters.${key}`, values);

  const submit = async (values: { idNumber: string; relationship: SupporterRelationship }) => {
    setSaving(true);
    try {
      await addSupporter(props.householdId, values.idNumber, values.relationship);
      form.resetFields();
      loaded.reload();
      props.onChanged();
    } catch (error) {
      if (!showFieldError(form, error, ['idNumber', 'relationship'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={s('title')} data-testid="supporters">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{s('hint')}</Typography.Text>
        <List
          size="small"
          locale={{ emptyText: s('none') }}
          dataSource={(loaded.data ?? []).filter((x) => x.validTo === null)}
          renderItem={(x) => (
            <List.Item>
              {x.name ?? ''} {x.idNumberMasked ?? s('outside')} · {s(`relationships.${x.relationship}`)} ·{' '}
              {s('since', { date: x.validFrom })}
            </List.Item>
          )}
        />
        {props.canWrite ? (
          <Form form={form} layout="inline" onFinish={submit} initialValues={{ relationship: 'son' }}>
            <Form.Item name="idNumber" label={s('idNumber')} rules={[{ required: true, len: 18 }]}>
              <Input maxLength={18} style={{ width: 200 }} data-testid="supporter-id" />
            </Form.Item>
            <Form.Item name="relationship" label={s('relationship')}>
              <Select
                style={{ width: 110 }}
                options={RELATIONSHIPS.map((r) => ({ value: r, label: s(`relationships.${r}`) }))}
              />
            </Form.Item>
            <Button htmlType="submit" loading={saving} data-testid="supporter-add">
              {s('add')}
            </Button>
          </Form>
        ) : null}
      </Space>
    </Card>
  );
}
