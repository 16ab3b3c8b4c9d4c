/** 身后一件事 at the verification centre's window: the heir's authorised request and past inquiries. */
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { afterChinaToday, chinaToday } from '../../components/chinaToday';
import { type EstateSummary, fileEstate, listEstate, newIdempotencyKey } from './delegatedApi';
import { showNestedError } from './formErrors';

const RELATIONSHIPS = [
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'grandchild',
  'administrator',
] as const;
interface Values {
  deceased: { name: string; idNumber: string };
  deathCertificate?: string;
  heir: { name: string; idNumber: string; relationship: (typeof RELATIONSHIPS)[number] };
  notarisedReference?: string;
  authReference: string;
  authSignedOn: Dayjs;
}

export function EstateTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const key = useRef(newIdempotencyKey());
  const list = useLoad(listEstate, []);
  const e = (k: string) => t(`delegated.estate.${k}`);
  const d = (k: string) => t(`delegated.${k}`);

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      const filed = await fileEstate(
        {
          deceased: v.deceased,
          heir: v.heir,
          authorisation: { reference: v.authReference, signedOn: v.authSignedOn.format('YYYY-MM-DD') },
          ...(v.deathCertificate ? { deathCertificate: v.deathCertificate } : {}),
          ...(v.notarisedReference ? { notarisedReference: v.notarisedReference } : {}),
        },
        key.current,
      );
      key.current = newIdempotencyKey();
      if (filed.status === 'issued') message.success(e('issued'));
      else message.warning(`${e('refused')}：${filed.refusalReason ?? ''}`);
      navigate(`/delegated/estate/${filed.id}`);
    } catch (error) {
      const shown = showNestedError(
        form,
        error,
        ['deceased', 'heir', 'deathCertificate', 'notarisedReference', 'authReference', 'authSignedOn'],
        {
          'authorisation.reference': 'authReference',
          'authorisation.signedOn': 'authSignedOn',
        },
      );
      if (!shown) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={e('title')} data-testid="estate-form">
        <Typography.Paragraph type="secondary">{e('hint')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={() => {
            key.current = newIdempotencyKey();
          }}
          initialValues={{ heir: { relationship: 'child' }, authSignedOn: chinaToday() }}
          style={{ maxWidth: 860 }}
        >
          <Typography.Title level={5}>{e('deceased')}</Typography.Title>
          <Space wrap align="start">
            <Form.Item name={['deceased', 'name']} label={d('name')} rules={[{ required: true, max: 50 }]}>
              <Input style={{ width: 140 }} data-testid="estate-deceased-name" />
            </Form.Item>
            <Form.Item
              name={['deceased', 'idNumber']}
              label={d('idNumber')}
              rules={[{ required: true, len: 18 }]}
            >
              <Input maxLength={18} style={{ width: 210 }} data-testid="estate-deceased-id" />
            </Form.Item>
            <Form.Item name="deathCertificate" label={e('deathCertificate')} rules={[{ max: 100 }]}>
              <Input style={{ width: 220 }} />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{e('heir')}</Typography.Title>
          <Space wrap align="start">
            <Form.Item name={['heir', 'name']} label={d('name')} rules={[{ required: true, max: 50 }]}>
              <Input style={{ width: 140 }} data-testid="estate-heir-name" />
            </Form.Item>
            <Form.Item
              name={['heir', 'idNumber']}
              label={d('idNumber')}
              rules={[{ required: true, len: 18 }]}
            >
              <Input maxLength={18} style={{ width: 210 }} data-testid="estate-heir-id" />
            </Form.Item>
            <Form.Item name={['heir', 'relationship']} label={e('heirRelationship')}>
              <Select
                style={{ width: 180 }}
                options={RELATIONSHIPS.map((r) => ({ value: r, label: e(`relationships.${r}`) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="notarisedReference" label={e('notarised')} rules={[{ max: 100 }]}>
            <Input style={{ width: 320 }} />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="authReference" label={d('authReference')} rules={[{ required: true, max: 100 }]}>
              <Input style={{ width: 220 }} data-testid="estate-auth-ref" />
            </Form.Item>
            <Form.Item name="authSignedOn" label={d('authSignedOn')} rules={[{ required: true }]}>
              <DatePicker disabledDate={afterChinaToday} allowClear={false} />
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="estate-submit">
              {e('submit')}
            </Button>
          </div>
        </Form>
      </Card>
      <Table<EstateSummary>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            key: 'at',
            title: e('columns.requestedAt'),
            render: (_, r) => dayjs(r.requestedAt).format('YYYY-MM-DD HH:mm'),
          },
          {
            key: 'dead',
            title: e('columns.deceased'),
            render: (_, r) => `${r.deceased.name} ${r.deceased.idNumberMasked}`,
          },
          { key: 'died', title: e('columns.deathDate'), render: (_, r) => r.deceased.deathDate ?? '—' },
          {
            key: 'heir',
            title: e('columns.heir'),
            render: (_, r) => `${r.heir.name}（${e(`relationships.${r.heir.relationship}`)}）`,
          },
          {
            key: 'status',
            title: e('columns.status'),
            render: (_, r) => (
              <Tag color={r.status === 'issued' ? 'success' : 'error'}>{e(`status.${r.status}`)}</Tag>
            ),
          },
          {
            key: 'open',
            title: '',
            render: (_, r) => <Link to={`/delegated/estate/${r.id}`}>{d('open')}</Link>,
          },
        ]}
      />
    </Space>
  );
}
