/** /households/new — a new household with its head, in a village of the caseworker's region. */
import { App, Button, Card, Divider, Form, Input, Radio, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { showFieldError } from '../../components/serverErrors';
import { createHousehold } from './householdsApi';
import { PERSON_FIELDS, PersonFields, type PersonFormValues, personInput } from './PersonFields';

interface Values extends PersonFormValues {
  householdNumber: string;
  regionCode: string;
  address: string;
  urban: boolean;
}

const FIELDS = ['householdNumber', 'regionCode', 'address', 'urban', ...PERSON_FIELDS];

export default function HouseholdCreatePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      const { relationshipToHead: _, ...head } = personInput({ ...values, relationshipToHead: 'head' });
      const created = await createHousehold({
        householdNumber: values.householdNumber.trim(),
        regionCode: values.regionCode,
        address: values.address.trim(),
        urban: values.urban,
        head,
      });
      message.success(t('registry.household.created'));
      navigate(`/households/${created.id}`);
    } catch (error) {
      if (!showFieldError(form, error, FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('registry.household.createTitle')} style={{ maxWidth: 720 }}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ urban: false }}>
        <Divider titlePlacement="start" plain>
          {t('registry.household.householdSection')}
        </Divider>
        <Form.Item
          name="householdNumber"
          label={t('registry.household.householdNumber')}
          rules={[
            { required: true, whitespace: true, message: t('registry.household.householdNumberRequired') },
          ]}
        >
          <Input maxLength={30} data-testid="field-householdNumber" />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('registry.household.village')}
          rules={[{ required: true, message: t('registry.household.regionRequired') }]}
        >
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('registry.household.address')}
          rules={[{ required: true, whitespace: true, message: t('registry.household.addressRequired') }]}
        >
          <Input maxLength={200} data-testid="field-address" />
        </Form.Item>
        <Form.Item name="urban" label={t('registry.household.urban')}>
          <Radio.Group
            options={[
              { value: false, label: t('registry.household.urbanNo') },
              { value: true, label: t('registry.household.urbanYes') },
            ]}
          />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('registry.household.headSection')}
        </Divider>
        <PersonFields relationship={false} />
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
