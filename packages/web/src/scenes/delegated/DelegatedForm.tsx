/** A department officer's new delegated request: purpose, persons, the applicant's authorisation. */
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { afterChinaToday, chinaToday } from '../../components/chinaToday';
import { type DelegatedBody, fileRequest, listPurposes, newIdempotencyKey } from './delegatedApi';
import { showNestedError } from './formErrors';

const RELATIONSHIPS = ['applicant', 'spouse', 'child', 'parent', 'other'] as const;
type Relationship = (typeof RELATIONSHIPS)[number];
interface Values {
  purpose: string;
  subjects: { name: string; idNumber: string; relationship: Relationship }[];
  authReference: string;
  authSignedOn: Dayjs;
  reference?: string;
  note?: string;
}

const toBase64 = (file: File) =>
  file.arrayBuffer().then((b) => {
    let s = '';
    for (const byte of new Uint8Array(b)) s += String.fromCharCode(byte);
    return btoa(s);
  });

export function DelegatedForm(props: { onFiled: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const key = useRef(newIdempotencyKey());
  const purposes = useLoad(listPurposes, []);
  const purposeId = Form.useWatch('purpose', form);
  const chosen = purposes.data?.find((p) => p.id === purposeId);
  const d = (k: string, v?: Record<string, unknown>) => t(`delegated.${k}`, v);

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      const body: DelegatedBody = {
        purpose: values.purpose,
        subjects: values.subjects,
        authorisation: {
          reference: values.authReference,
          signedOn: values.authSignedOn.format('YYYY-MM-DD'),
          ...(file ? { fileBase64: await toBase64(file) } : {}),
        },
        ...(values.reference ? { reference: values.reference } : {}),
        ...(values.note ? { note: values.note } : {}),
      };
      const filed = await fileRequest(body, key.current);
      message.success(d('submitted'));
      key.current = newIdempotencyKey();
      form.resetFields();
      setFile(null);
      props.onFiled(filed.id);
    } catch (error) {
      if (
        !showNestedError(
          form,
          error,
          ['purpose', 'subjects', 'authReference', 'authSignedOn', 'reference', 'note'],
          {
            'authorisation.reference': 'authReference',
            'authorisation.signedOn': 'authSignedOn',
          },
        )
      )
        message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" data-testid="delegated-form">
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => {
          // A changed request is a new request: a new key, so the server does not answer 409.
          key.current = newIdempotencyKey();
        }}
        initialValues={{ subjects: [{ relationship: 'applicant' }], authSignedOn: chinaToday() }}
        style={{ maxWidth: 860 }}
      >
        <Form.Item name="purpose" label={d('purpose')} rules={[{ required: true }]}>
          <Select
            data-testid="delegated-purpose"
            options={(purposes.data ?? []).map((p) => ({ value: p.id, label: en ? p.name.en : p.name.zh }))}
          />
        </Form.Item>
        {chosen ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={d('purposeSees', {
              sources: chosen.sources.map((s) => (en ? s.labelEn : s.label)).join(en ? ', ' : '、'),
              days: chosen.validDays,
            })}
            description={`${d('legal')}：${chosen.legal.join('；')}`}
          />
        ) : null}
        <Typography.Title level={5}>{d('subjects')}</Typography.Title>
        <Form.List name="subjects">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} wrap align="start">
                  <Form.Item
                    name={[field.name, 'name']}
                    label={d('name')}
                    rules={[{ required: true, max: 50 }]}
                  >
                    <Input style={{ width: 140 }} data-testid={`subject-name-${field.name}`} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'idNumber']}
                    label={d('idNumber')}
                    rules={[{ required: true, len: 18 }]}
                  >
                    <Input maxLength={18} style={{ width: 210 }} data-testid={`subject-id-${field.name}`} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'relationship']} label={d('relationship')}>
                    <Select
                      style={{ width: 110 }}
                      options={RELATIONSHIPS.map((r) => ({ value: r, label: d(`relationships.${r}`) }))}
                    />
                  </Form.Item>
                  {field.name > 0 ? (
                    <Button style={{ marginTop: 30 }} onClick={() => remove(field.name)}>
                      −
                    </Button>
                  ) : null}
                </Space>
              ))}
              {fields.length < 10 ? (
                <Button onClick={() => add({ relationship: 'spouse' })} style={{ marginBottom: 16 }}>
                  {d('addSubject')}
                </Button>
              ) : null}
            </>
          )}
        </Form.List>
        <Typography.Title level={5}>{d('authorisation')}</Typography.Title>
        <Space wrap align="start">
          <Form.Item name="authReference" label={d('authReference')} rules={[{ required: true, max: 100 }]}>
            <Input style={{ width: 220 }} data-testid="delegated-auth-ref" />
          </Form.Item>
          <Form.Item name="authSignedOn" label={d('authSignedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={afterChinaToday} allowClear={false} />
          </Form.Item>
          <Form.Item label={d('authFile')}>
            <Upload
              accept=".pdf,.jpg,.jpeg,.png"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button>…</Button>
            </Upload>
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="reference" label={d('reference')} rules={[{ max: 100 }]}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="note" label={d('note')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={1} style={{ width: 380 }} maxLength={500} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="delegated-submit">
          {d('submit')}
        </Button>
      </Form>
    </Card>
  );
}
