/**
 * One alert: its cause, evidence, dispatch and limits, every step so far (a timeline), and the one
 * action the server says the user may take now (accept, handle, report back, close). The version
 * seen is sent with the action; on 409 the drawer reloads and says someone else acted.
 */
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { type ActionBody, act, COLOUR_TAG, getAlert } from './alertsApi';

const HANDLING = ['case', 'referral', 'visit', 'closedWithReason'] as const;
const OUTCOMES = ['helped', 'notNeeded', 'notFound', 'referredElsewhere'] as const;
const DEPARTMENTS = [
  'education',
  'medicalSecurity',
  'housing',
  'humanResources',
  'health',
  'disabledPersons',
  'tradeUnion',
  'emergency',
  'ruralRevitalization',
  'charity',
] as const;

interface ActionValues {
  handling?: (typeof HANDLING)[number];
  policyId?: string;
  referralDepartment?: (typeof DEPARTMENTS)[number];
  note?: string;
  outcome?: (typeof OUTCOMES)[number];
}

export function AlertDrawer({ id, onClose, onChanged }: { id: string; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => getAlert(id), [id]);
  const [form] = Form.useForm<ActionValues>();
  const [busy, setBusy] = useState(false);
  const handling = Form.useWatch('handling', form);
  const detail = loaded.data;
  const a = detail?.alert;
  const next = a?.allowedActions[0] as ActionBody['action'] | undefined;

  async function submit(values: ActionValues) {
    if (!a || !next) return;
    setBusy(true);
    try {
      await act(a.id, { version: a.version, action: next, ...values });
      message.success(t('alerts.action.done', { action: t(`alerts.action.${next}`) }));
      form.resetFields();
      loaded.reload();
      onChanged();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        message.warning(t('alerts.action.conflict'));
        loaded.reload();
      } else message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const dept = (d: string | null | undefined) => (d ? t(`alerts.department.${d}`, { defaultValue: d }) : '—');
  return (
    <Drawer
      open
      width={680}
      onClose={onClose}
      title={t('alerts.drawer.title')}
      loading={loaded.loading && !a}
    >
      {a && detail ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="alert-drawer">
          <Space wrap>
            <Tag color={COLOUR_TAG[a.colour]}>{t(`alerts.colour.${a.colour}`)}</Tag>
            <Tag data-testid="alert-status">{t(`alerts.status.${a.status}`)}</Tag>
            {a.overdue ? <Tag color="red">{t('alerts.overdue')}</Tag> : null}
            {a.escalationLevel > 0 ? (
              <Tag color="volcano">{t('alerts.escalated', { level: a.escalationLevel })}</Tag>
            ) : null}
            <Typography.Text type="secondary">{t(`alerts.origin.${a.origin}`)}</Typography.Text>
          </Space>
          <Typography.Paragraph style={{ marginBottom: 0 }}>{a.summaryZh}</Typography.Paragraph>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('alerts.columns.household')}>
              {a.householdNumber ? `${a.headName ?? ''} ${a.householdNumber}` : t('alerts.candidate')}
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.columns.region')}>
              {a.regionName ?? a.regionCode}
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.drawer.dispatch')}>
              {dept(a.leadDepartment)}
              {a.supportingDepartments.length
                ? ` · ${t('alerts.drawer.supporting')}：${a.supportingDepartments.map(dept).join('、')}`
                : ''}
            </Descriptions.Item>
            {a.status === 'dispatched' || a.status === 'accepted' || a.status === 'handling' ? (
              <Descriptions.Item label={t('alerts.columns.due')}>
                {a.status === 'dispatched'
                  ? t('alerts.acceptBy', { date: a.acceptDueOn })
                  : t('alerts.handleBy', { date: a.handleDueOn })}
              </Descriptions.Item>
            ) : null}
            {a.acceptedByName ? (
              <Descriptions.Item label={t('alerts.drawer.acceptedBy')}>
                {a.acceptedByName} {a.acceptedOn}
              </Descriptions.Item>
            ) : null}
            {a.handling ? (
              <Descriptions.Item label={t('alerts.drawer.handling')}>
                {t(`alerts.handling.${a.handling}`)}
                {a.referralDepartment ? ` → ${dept(a.referralDepartment)}` : ''}
                {a.intakeCaseId ? (
                  <>
                    {' '}
                    <Link to={`/intake?case=${a.intakeCaseId}`}>{t('alerts.drawer.intakeCase')}</Link>
                  </>
                ) : null}
                {a.handlingNote ? <div>{a.handlingNote}</div> : null}
              </Descriptions.Item>
            ) : null}
            {a.feedback ? (
              <Descriptions.Item label={t('alerts.drawer.feedback')}>{a.feedback}</Descriptions.Item>
            ) : null}
            {a.outcome ? (
              <Descriptions.Item label={t('alerts.drawer.outcome')}>
                {t(`alerts.outcome.${a.outcome}`)} {a.closeReason ?? ''}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Space wrap>
            <Link to={`/alerts/${a.id}/portrait`} data-testid="open-portrait">
              <Button>{t('alerts.drawer.portrait')}</Button>
            </Link>
            {a.householdId ? (
              <Link to={`/alerts/households/${a.householdId}`}>
                <Button>{t('alerts.drawer.chain')}</Button>
              </Link>
            ) : null}
          </Space>

          {next ? (
            <Form form={form} layout="vertical" onFinish={submit} data-testid="alert-action-form">
              {next === 'handle' ? (
                <Form.Item name="handling" label={t('alerts.form.handling')} rules={[{ required: true }]}>
                  <Select
                    data-testid="handling-select"
                    options={HANDLING.map((h) => ({ value: h, label: t(`alerts.handling.${h}`) }))}
                  />
                </Form.Item>
              ) : null}
              {next === 'handle' && handling === 'case' ? (
                <Form.Item
                  name="policyId"
                  label={t('alerts.form.policy')}
                  extra={t('alerts.form.policyHint')}
                  rules={[{ required: true }]}
                >
                  <Input maxLength={60} />
                </Form.Item>
              ) : null}
              {next === 'handle' && handling === 'referral' ? (
                <Form.Item
                  name="referralDepartment"
                  label={t('alerts.form.department')}
                  rules={[{ required: true }]}
                >
                  <Select options={DEPARTMENTS.map((d) => ({ value: d, label: dept(d) }))} />
                </Form.Item>
              ) : null}
              {next !== 'accept' ? (
                <Form.Item name="note" label={t('alerts.form.note')}>
                  <Input.TextArea
                    rows={3}
                    maxLength={2000}
                    placeholder={t('alerts.form.notePlaceholder')}
                    data-testid="action-note"
                  />
                </Form.Item>
              ) : null}
              {next === 'close' || (next === 'handle' && handling === 'closedWithReason') ? (
                <Form.Item name="outcome" label={t('alerts.form.outcome')} rules={[{ required: true }]}>
                  <Select
                    data-testid="outcome-select"
                    options={OUTCOMES.map((o) => ({ value: o, label: t(`alerts.outcome.${o}`) }))}
                  />
                </Form.Item>
              ) : null}
              <Button type="primary" htmlType="submit" loading={busy} data-testid={`action-${next}`}>
                {t(`alerts.action.${next}`)}
              </Button>
            </Form>
          ) : null}

          <Typography.Title level={5}>{t('alerts.drawer.events')}</Typography.Title>
          <Timeline
            data-testid="alert-events"
            items={detail.events.map((e) => ({
              color: e.action === 'escalate' ? 'red' : e.action === 'close' ? 'green' : 'blue',
              children: (
                <>
                  <Typography.Text strong>{t(`alerts.event.${e.action}`)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {new Date(e.at).toLocaleString()} · {e.actorName}
                  </Typography.Text>
                  {typeof e.detail?.note === 'string' ? <div>{e.detail.note}</div> : null}
                  {typeof e.detail?.reason === 'string' ? <div>{e.detail.reason}</div> : null}
                  {e.action === 'escalate' && typeof e.detail?.toRegion === 'string' ? (
                    <div>
                      {String(e.detail.fromRegion)} → {e.detail.toRegion}
                    </div>
                  ) : null}
                </>
              ),
            }))}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
