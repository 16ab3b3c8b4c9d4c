/**
 * One case: its process with the current step, the documents the step needs (ticked when recorded),
 * the clock, the history with the legal ground of each transition, and the action form. The server
 * decides what is allowed; the form only offers what the current step has (outcomes, investigators).
 */
import {
  Alert,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Steps,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { DocumentsCard } from './DocumentsCard';
import { DueTag } from './IntakePage';
import { getCase, type TransitionRequest, transition } from './intakeApi';

type Action = TransitionRequest['action'];

export function CaseDrawer({ id, onClose, onChanged }: { id: string; onClose(): void; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const loaded = useLoad(() => getCase(id), [id]);
  const [form] = Form.useForm();
  const [action, setAction] = useState<Action>('complete');
  const [message, setMessage] = useState<{ type: 'success' | 'error' | 'warning'; text: string }>();
  const [busy, setBusy] = useState(false);
  const c = loaded.data;
  const step = c?.currentStep;
  const en = i18n.language === 'en';

  async function submit(values: {
    outcome?: string;
    documents?: string[];
    investigators?: string;
    reason?: string;
  }) {
    if (!c || !step) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await transition(id, {
        version: c.version,
        step: step.id,
        action,
        outcome: values.outcome,
        documents: values.documents?.length ? values.documents : undefined,
        investigators: values.investigators
          ?.split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
        reason: values.reason || undefined,
      });
      setMessage(
        result.result === 'returned'
          ? {
              type: 'warning',
              text: t('intake.action.returned', {
                list: result.missingDocuments.map((d) => (en ? d.nameEn : d.name)).join('、'),
              }),
            }
          : { type: 'success', text: t('intake.action.done') },
      );
      form.resetFields();
      loaded.reload();
      onChanged();
    } catch (error) {
      setMessage({ type: 'error', text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  const actions: Action[] =
    c?.status === 'awaitingApplicant'
      ? ['resubmit', 'withdraw']
      : [
          'complete',
          ...(step?.refusal === 'rejectAtIntake' ? (['reject'] as const) : []),
          ...(step?.refusal === 'decision' ? (['refuse'] as const) : []),
          'extend',
          'withdraw',
        ];

  // After a return to the applicant only "record documents" and "withdraw" remain, and back again.
  const available = actions.join();
  useEffect(() => {
    if (!available.split(',').includes(action)) setAction(available.split(',')[0] as Action);
  }, [available, action]);

  return (
    <Drawer
      open
      width={720}
      onClose={onClose}
      title={c ? `${en ? c.policyNameEn : c.policyName} · ${en ? c.templateNameEn : c.templateName}` : ''}
      loading={loaded.loading && !c}
    >
      {c ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-drawer">
          <Space wrap>
            <Tag>{t(`intake.status.${c.status}`)}</Tag>
            {step?.clock && c.status === 'open' ? (
              <>
                <DueTag status={step.clock.dueStatus} />
                <Typography.Text>
                  {t('intake.drawer.clock', {
                    used: step.clock.usedWorkingDays,
                    limit: step.clock.workingDays,
                    due: step.clock.dueOn,
                  })}
                </Typography.Text>
              </>
            ) : null}
            <Typography.Text type="secondary">
              {t('intake.drawer.caseDue', { date: c.caseDueOn })}
            </Typography.Text>
          </Space>
          <Steps
            size="small"
            direction="vertical"
            current={c.steps.findIndex((s) => s.id === step?.id)}
            items={c.steps.map((s) => ({
              title: en ? s.nameEn : s.name,
              status: c.completedSteps.includes(s.id) ? 'finish' : s.id === step?.id ? 'process' : 'wait',
              description: t(`intake.office.${s.office}`),
            }))}
          />
          {step ? (
            <>
              <Typography.Title level={5}>{t('intake.drawer.documents')}</Typography.Title>
              <Space orientation="vertical" size={2}>
                {step.documents.map((d) => (
                  <Typography.Text key={d.id}>
                    {d.recordedOn ? '☑' : '☐'} {en ? d.nameEn : d.name}{' '}
                    <Typography.Text type="secondary">
                      {t('intake.drawer.docNote', {
                        from:
                          d.from === 'applicant'
                            ? t('intake.drawer.applicantDoc')
                            : t('intake.drawer.officeDoc'),
                        recorded: d.recordedOn ? t('intake.drawer.recorded', { date: d.recordedOn }) : '',
                        context: d.recordedOn ? 'recorded' : undefined,
                      })}
                    </Typography.Text>
                  </Typography.Text>
                ))}
              </Space>
              {step.investigators > 0 ? (
                <Link to={`/intake/cases/${c.id}/visit`} data-testid="open-visit">
                  {t('intake.visit.open')}
                </Link>
              ) : null}
              <Typography.Title level={5}>{t('intake.action.title')}</Typography.Title>
              <Select<Action>
                value={action}
                onChange={setAction}
                style={{ width: 240 }}
                options={actions.map((a) => ({ value: a, label: t(`intake.action.${a}`) }))}
              />
              <Form form={form} layout="vertical" onFinish={submit}>
                {action === 'complete' && step.outcomes.length ? (
                  <Form.Item name="outcome" label={t('intake.action.outcome')} rules={[{ required: true }]}>
                    <Select options={step.outcomes.map((o) => ({ value: o, label: o }))} />
                  </Form.Item>
                ) : null}
                {action === 'complete' || action === 'resubmit' ? (
                  <Form.Item name="documents">
                    <Checkbox.Group
                      options={step.documents
                        .filter((d) => !d.recordedOn)
                        .map((d) => ({ value: d.id, label: en ? d.nameEn : d.name }))}
                    />
                  </Form.Item>
                ) : null}
                {action === 'complete' && step.investigators > 0 ? (
                  <Form.Item name="investigators" label={t('intake.action.investigators')}>
                    <Input.TextArea rows={2} />
                  </Form.Item>
                ) : null}
                {action !== 'complete' && action !== 'resubmit' ? (
                  <Form.Item name="reason" label={t('intake.action.reason')} rules={[{ required: true }]}>
                    <Input.TextArea rows={2} maxLength={1000} />
                  </Form.Item>
                ) : null}
                <Button type="primary" htmlType="submit" loading={busy} data-testid="act">
                  {t('intake.action.submit')}
                </Button>
              </Form>
            </>
          ) : null}
          {message ? <Alert type={message.type} title={message.text} showIcon /> : null}
          <DocumentsCard caseId={c.id} version={c.version} />
          <Typography.Title level={5}>{t('intake.drawer.timeline')}</Typography.Title>
          <Timeline
            items={c.events.map((e) => ({
              children: (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>
                    {e.onDate} {t(`intake.actions.${e.action}`)} {e.fromStepName ?? ''}
                    {e.toStepName && e.toStepName !== e.fromStepName ? ` → ${e.toStepName}` : ''} ·{' '}
                    {e.actorName}
                  </Typography.Text>
                  {e.legalGround ? (
                    <Typography.Text type="secondary">
                      {t('intake.drawer.legalGround', { text: e.legalGround })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            }))}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
