/** /households/new — a new household with its head, in a village of the caseworker's region. */
import { App, Button, Card, Form, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { showFieldError } from '../../components/serverErrors';
import {
  NEW_HOUSEHOLD_FIELDS,
  NEW_HOUSEHOLD_INITIAL,
  NewHouseholdFields,
  type NewHouseholdValues,
  registerHousehold,
} from './NewHouseholdFields';

export default function HouseholdCreatePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<NewHouseholdValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: NewHouseholdValues) => {
    setSaving(true);
    try {
      const { created } = await registerHousehold(values);
      message.success(t('registry.household.created'));
      navigate(`/households/${created.id}`);
    } catch (error) {
      if (!showFieldError(form, error, NEW_HOUSEHOLD_FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('registry.household.createTitle')} style={{ maxWidth: 720 }}>
      <Form<NewHouseholdValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={NEW_HOUSEHOLD_INITIAL}
      >
        <NewHouseholdFields />
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="household-submit">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
