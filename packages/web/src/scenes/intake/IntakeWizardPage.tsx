/**
 * /intake/new — the window intake wizard (窗口受理): find or register the household, pick the items
 * (with the rules engine's suggestions and their trace), tick the documents received per item, and
 * submit once: the Idempotency-Key is made per distinct submission and reused on a retry, so a
 * double click or a lost answer never makes two applications. Then the intake page shows its cases.
 */
import { Alert, Button, Card, Checkbox, Form, Input, Select, Space, Steps, Switch, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { useAccount } from '../../auth/AccountContext';
import { type SubmitBody, type Suggestions, submitApplication } from './intakeApi';
import { type ChosenHousehold, WizardHousehold } from './WizardHousehold';
import { WizardItems } from './WizardItems';

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;
}

interface Authorisation {
  agentName?: string;
  relationship?: string;
  document?: string;
  signedOn?: string;
}

export default function IntakeWizardPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const navigate = useNavigate();
  const account = useAccount();
  const [current, setCurrent] = useState(0);
  const [household, setHousehold] = useState<ChosenHousehold>();
  const [suggestions, setSuggestions] = useState<Suggestions>();
  const [picked, setPicked] = useState<string[]>([]);
  const [documents, setDocuments] = useState<Record<string, string[]>>({});
  const [note, setNote] = useState('');
  const [authorisation, setAuthorisation] = useState<Authorisation>({});
  // 近亲属备案: declared at the window; the case is then registered separately for the county.
  const [relative, setRelative] = useState<Record<string, string> | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const attempt = useRef<{ body: string; key: string } | undefined>(undefined);
  const grid = account.role === 'gridWorker';
  const items = (suggestions?.items ?? []).filter((i) => picked.includes(i.policyId));

  async function submit() {
    if (!household) return;
    const body = {
      householdId: household.id,
      channel: grid ? 'gridWorker' : 'window',
      items: items.map((i) => ({ policyId: i.policyId, documents: documents[i.policyId] ?? [] })),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(grid ? { authorisation } : {}),
      ...(household.residence ? { residence: household.residence } : {}),
      ...(relative ? { staffRelative: relative } : {}),
    } as SubmitBody;
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newKey() };
    setBusy(true);
    setError(undefined);
    try {
      const application = await submitApplication(body, attempt.current.key);
      navigate(`/intake?application=${application.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const steps = [
    {
      title: t('intake.wizard.steps.household'),
      content: (
        <WizardHousehold
          onChoose={(h) => {
            setHousehold(h);
            setSuggestions(undefined);
            setPicked([]);
            setDocuments({});
            setCurrent(1);
          }}
        />
      ),
    },
    {
      title: t('intake.wizard.steps.items'),
      content: household ? (
        <WizardItems
          householdId={household.id}
          residenceRegionCode={household.residence?.regionCode}
          picked={picked}
          onPick={setPicked}
          onSuggestions={setSuggestions}
        />
      ) : null,
    },
    {
      title: t('intake.wizard.steps.documents'),
      content: (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="checklist">
          <Typography.Text type="secondary">{t('intake.wizard.documentsHint')}</Typography.Text>
          {items.map((i) => (
            <Card
              key={i.policyId}
              size="small"
              title={`${en ? i.nameEn : i.name} · ${en ? i.templateNameEn : i.templateName}`}
            >
              {i.documents.length ? (
                <Checkbox.Group
                  value={documents[i.policyId] ?? []}
                  onChange={(v) => setDocuments({ ...documents, [i.policyId]: v as string[] })}
                  options={i.documents.map((d) => ({ value: d.id, label: en ? d.nameEn : d.name }))}
                />
              ) : (
                <Typography.Text type="secondary">{t('intake.wizard.noDocuments')}</Typography.Text>
              )}
            </Card>
          ))}
        </Space>
      ),
    },
    {
      title: t('intake.wizard.steps.submit'),
      content: (
        <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
          <Typography.Text>
            {t('intake.wizard.summary', {
              number: household?.householdNumber ?? '',
              head: household?.headName ?? '',
              items: items.map((i) => (en ? i.nameEn : i.name)).join('、'),
            })}
          </Typography.Text>
          {grid ? (
            <Form layout="vertical" onValuesChange={(_, all) => setAuthorisation(all)}>
              <Typography.Text strong>{t('intake.wizard.authorisation')}</Typography.Text>
              <Form.Item name="agentName" label={t('intake.wizard.agentName')} rules={[{ required: true }]}>
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item
                name="relationship"
                label={t('intake.wizard.relationship')}
                rules={[{ required: true }]}
              >
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name="document" label={t('intake.wizard.authDocument')} rules={[{ required: true }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="signedOn" label={t('intake.wizard.signedOn')} rules={[{ required: true }]}>
                <Input type="date" />
              </Form.Item>
            </Form>
          ) : null}
          <Space>
            <Switch
              checked={!!relative}
              onChange={(on) => setRelative(on ? { post: 'villageCommittee' } : undefined)}
              data-testid="staff-relative"
            />
            <Typography.Text>{t('intake.wizard.staffRelative.question')}</Typography.Text>
          </Space>
          {relative ? (
            <Form
              layout="inline"
              initialValues={relative}
              onValuesChange={(_, all) => setRelative(all as Record<string, string>)}
            >
              <Form.Item name="memberName" label={t('intake.wizard.staffRelative.memberName')}>
                <Input maxLength={50} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="staffName" label={t('intake.wizard.staffRelative.staffName')}>
                <Input maxLength={50} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="post" label={t('intake.wizard.staffRelative.post')}>
                <Select
                  style={{ width: 180 }}
                  options={(['assistanceStaff', 'villageCommittee'] as const).map((p) => ({
                    value: p,
                    label: t(`intake.wizard.staffRelative.${p}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="relation" label={t('intake.wizard.staffRelative.relation')}>
                <Input maxLength={20} style={{ width: 100 }} />
              </Form.Item>
            </Form>
          ) : null}
          <Input.TextArea
            rows={2}
            maxLength={1000}
            placeholder={t('intake.wizard.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          {error ? <Alert type="error" showIcon title={error} data-testid="submit-error" /> : null}
          <Button
            type="primary"
            size="large"
            loading={busy}
            onClick={() => void submit()}
            data-testid="submit-application"
          >
            {t('intake.wizard.submit')}
          </Button>
        </Space>
      ),
    },
  ];

  const canNext = current === 0 ? !!household : current === 1 ? picked.length > 0 : true;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="intake-wizard">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('intake.wizard.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('intake.wizard.hint')}</Typography.Text>
      <Steps current={current} items={steps.map((s) => ({ title: s.title }))} />
      {household && current > 0 ? (
        <Alert
          type="success"
          title={t('intake.wizard.chosen', {
            number: household.householdNumber,
            head: household.headName ?? '',
            village: household.regionName,
          })}
        />
      ) : null}
      <div>{steps[current]?.content}</div>
      <Space>
        {current > 0 ? (
          <Button onClick={() => setCurrent(current - 1)}>{t('intake.wizard.previous')}</Button>
        ) : null}
        {current < steps.length - 1 ? (
          <Button
            type="primary"
            disabled={!canNext}
            onClick={() => setCurrent(current + 1)}
            data-testid="wizard-next"
          >
            {t('intake.wizard.next')}
          </Button>
        ) : null}
        {current === 1 && picked.length === 0 && suggestions ? (
          <Typography.Text type="warning">{t('intake.wizard.pickAtLeastOne')}</Typography.Text>
        ) : null}
      </Space>
    </Space>
  );
}
