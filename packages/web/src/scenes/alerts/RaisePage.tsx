/**
 * /alerts/raise — 点单, made for a phone: a grid worker on a doorstep finds the household, picks the
 * kind of hardship and writes what happened; a resident reports for themselves (no household to
 * pick). The Idempotency-Key is made once per form, so a second tap on a weak signal raises once.
 */
import { App, Button, Card, Form, Input, Radio, Result, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api/client';
import { useAccount } from '../../auth/AccountContext';
import { showFieldError } from '../../components/serverErrors';
import { type HouseholdSummary, listHouseholds } from '../households/householdsApi';
import { type Alert, newKey, type RaiseBody, raiseAlert } from './alertsApi';
import { MyRequests } from './MyRequests';

const CATEGORIES = [
  'income',
  'medical',
  'disability',
  'employment',
  'education',
  'housing',
  'emergency',
  'care',
  'other',
] as const;

interface Values {
  householdId?: string;
  category: RaiseBody['category'];
  description: string;
  colour?: RaiseBody['colour'];
}

function queryOf(text: string) {
  const q = text.trim();
  if (/^\d{17}[\dXx]$/.test(q)) return { idNumber: q.toUpperCase() };
  if (/^\d+$/.test(q)) return { householdNumber: q };
  return { name: q };
}

export default function RaisePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const account = useAccount();
  const resident = account.role === 'resident';
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<HouseholdSummary[]>([]);
  const [done, setDone] = useState<{ alert: Alert; merged: boolean }>();
  const options = useMemo(
    () =>
      found.map((h) => ({
        value: h.id,
        label: `${h.headName ?? ''} ${h.householdNumber} ${h.regionName}`,
      })),
    [found],
  );

  async function search(text: string) {
    if (text.trim().length < 1) return;
    try {
      setFound((await listHouseholds({ ...queryOf(text), page: 1, pageSize: 10 })).items);
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function submit(values: Values) {
    setBusy(true);
    try {
      const body: RaiseBody = {
        category: values.category,
        description: values.description,
        ...(resident ? {} : { householdId: values.householdId }),
        ...(values.colour && !resident ? { colour: values.colour } : {}),
      };
      const answer = await raiseAlert(body, key);
      setDone({ alert: answer.alert, merged: answer.merged });
    } catch (error) {
      if (!showFieldError(form, error, ['householdId', 'category', 'description', 'colour']))
        message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (done)
    return (
      <Card style={{ maxWidth: 560, margin: '0 auto' }}>
        <Result
          status="success"
          title={
            done.merged
              ? t('alerts.raiseForm.merged', { count: done.alert.raiseCount })
              : t('alerts.raiseForm.done', {
                  lead: t(`alerts.department.${done.alert.leadDepartment}`, {
                    defaultValue: done.alert.leadDepartment ?? '',
                  }),
                  date: done.alert.acceptDueOn,
                })
          }
          extra={
            <Space wrap>
              <Button
                onClick={() => {
                  form.resetFields();
                  setKey(newKey());
                  setDone(undefined);
                }}
                data-testid="raise-again"
              >
                {t('alerts.raiseForm.again')}
              </Button>
              {resident ? null : (
                <Link to={`/alerts?alert=${done.alert.id}`}>
                  <Button type="primary">{t('alerts.raiseForm.view')}</Button>
                </Link>
              )}
            </Space>
          }
          data-testid="raise-done"
        />
      </Card>
    );

  return (
    <Space
      orientation="vertical"
      size="middle"
      style={{ width: '100%', maxWidth: 560, margin: '0 auto', display: 'flex' }}
    >
      <Card title={t('alerts.raiseForm.title')}>
        <Typography.Paragraph type="secondary">{t('alerts.raiseForm.intro')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          data-testid="raise-form"
          initialValues={{ colour: undefined }}
        >
          {resident ? (
            <Typography.Paragraph strong>{t('alerts.raiseForm.self')}</Typography.Paragraph>
          ) : (
            <Form.Item
              name="householdId"
              label={t('alerts.raiseForm.household')}
              rules={[{ required: true }]}
            >
              <Select
                showSearch
                filterOption={false}
                onSearch={search}
                placeholder={t('alerts.raiseForm.householdSearch')}
                options={options}
                notFoundContent={null}
                data-testid="raise-household"
              />
            </Form.Item>
          )}
          <Form.Item name="category" label={t('alerts.raiseForm.category')} rules={[{ required: true }]}>
            <Radio.Group data-testid="raise-category">
              <Space wrap>
                {CATEGORIES.map((c) => (
                  <Radio.Button key={c} value={c}>
                    {t(`alerts.category.${c}`)}
                  </Radio.Button>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="description"
            label={t('alerts.raiseForm.description')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={1000}
              showCount
              placeholder={t('alerts.raiseForm.descriptionPlaceholder')}
              data-testid="raise-description"
            />
          </Form.Item>
          {resident ? null : (
            <Form.Item name="colour" label={t('alerts.raiseForm.colour')}>
              <Radio.Group>
                {(['red', 'yellow', 'blue', 'green'] as const).map((c) => (
                  <Radio.Button key={c} value={c}>
                    {t(`alerts.colour.${c}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            data-testid="raise-submit"
          >
            {t('alerts.raiseForm.submit')}
          </Button>
        </Form>
      </Card>
      <MyRequests />
    </Space>
  );
}
