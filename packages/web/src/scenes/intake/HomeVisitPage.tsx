/**
 * /intake/cases/:id/visit — the home visit on a phone (入户调查). The first investigator fills the
 * form at the household (kept as a draft on the phone until saved), saves it naming the second
 * investigator, adds photos; the second opens the same page on their own phone and confirms; then
 * the step can be completed with both names. The server enforces every rule; this page only guides.
 */
import { Alert, App, Button, Card, Form, Image, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccount } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { caseVisit, confirmVisit, getCase, photoUrl, saveVisit, transition, uploadPhoto } from './intakeApi';
import { VisitForm, VisitSummary } from './VisitForm';
import {
  clearDraft,
  fromVisit,
  loadDraft,
  localNow,
  saveDraft,
  toBody,
  type VisitValues,
} from './visitDraft';

const MAX_BYTES = 10 * 1024 * 1024;

export default function HomeVisitPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const account = useAccount();
  const en = i18n.language === 'en';
  const kase = useLoad(() => getCase(id), [id]);
  const loaded = useLoad(() => caseVisit(id), [id]);
  const [form] = Form.useForm<VisitValues>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const visit = loaded.data?.visit ?? null;
  const c = kase.data;
  const step = c?.currentStep;
  // The visit of this round, if the case is still at it (a visit from an earlier round is history).
  const current = visit && step && visit.step === step.id ? visit : null;
  const editable =
    !current || (current.status !== 'confirmed' && current.firstInvestigator.id === account.id);

  // Fill the form once: the phone's draft first (unsaved work), else the saved visit, else today.
  const filled = useRef(false);
  useEffect(() => {
    if (filled.current || loaded.loading || !loaded.data) return;
    filled.current = true;
    const draft = loadDraft(id);
    form.setFieldsValue({
      visitedAt: localNow(),
      locationSource: 'device',
      ...(current ? fromVisit(current) : {}),
      ...(draft ?? {}),
    });
  }, [loaded.loading, loaded.data, current, form, id]);

  if (kase.error) return <ApiErrorPage error={kase.error} />;

  async function run(what: string, work: () => Promise<unknown>, done: string) {
    setBusy(what);
    setError(undefined);
    try {
      await work();
      message.success(done);
      loaded.reload();
      kase.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  }

  const save = (values: VisitValues) =>
    run(
      'save',
      async () => {
        await saveVisit(id, toBody(values));
        clearDraft(id);
      },
      t('intake.visit.saved'),
    );

  async function addPhotos(files: FileList | null) {
    if (!files || !current) return;
    for (const file of Array.from(files)) {
      if (file.size > MAX_BYTES) {
        setError(t('intake.visit.photoTooLarge', { name: file.name }));
        continue;
      }
      await run('photo', () => uploadPhoto(current.id, file), t('intake.visit.photoAdded'));
    }
    if (fileInput.current) fileInput.current.value = '';
  }

  const isSecond = current?.secondInvestigator.id === account.id;
  const canComplete =
    current?.status === 'confirmed' &&
    c?.status === 'open' &&
    step?.id === current.step &&
    account.role === 'caseworker';

  return (
    <Space
      orientation="vertical"
      size="middle"
      style={{ width: '100%', maxWidth: 560 }}
      data-testid="home-visit"
    >
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('intake.visit.title')}
      </Typography.Title>
      {c ? (
        <Typography.Text type="secondary">
          {en ? c.policyNameEn : c.policyName} ·{' '}
          {step ? (en ? step.nameEn : step.name) : t(`intake.status.${c.status}`)}
          {step?.clock ? ` · ${t('intake.visit.dueOn', { date: step.clock.dueOn })}` : ''}
        </Typography.Text>
      ) : null}
      {c && !step?.investigators && !visit ? (
        <Alert type="warning" showIcon title={t('intake.visit.notAtStep')} />
      ) : null}
      {current ? (
        <Card size="small" data-testid="visit-status">
          <Space orientation="vertical" size={4}>
            <Space wrap>
              <Tag color={current.status === 'confirmed' ? 'green' : 'gold'}>
                {t(`intake.visit.status.${current.status}`)}
              </Tag>
              <Typography.Text>
                {t('intake.visit.investigators', {
                  first: current.firstInvestigator.name,
                  second: current.secondInvestigator.name,
                })}
              </Typography.Text>
            </Space>
            {current.status === 'confirmed' ? (
              <Typography.Text type="secondary">{t('intake.visit.fedTakeHighest')}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">
                {isSecond
                  ? t('intake.visit.pleaseConfirm')
                  : t('intake.visit.waitingFor', { name: current.secondInvestigator.name })}
              </Typography.Text>
            )}
          </Space>
        </Card>
      ) : null}
      {error ? <Alert type="error" showIcon title={error} data-testid="visit-error" /> : null}

      {editable ? (
        <Form<VisitValues>
          form={form}
          layout="vertical"
          size="large"
          onFinish={save}
          onValuesChange={(_, all) => editable && saveDraft(id, all)}
          disabled={!editable}
        >
          <VisitForm form={form} disabled={!editable} />
          {editable && step?.investigators ? (
            <Button type="primary" htmlType="submit" block loading={busy === 'save'} data-testid="save-visit">
              {current ? t('intake.visit.update') : t('intake.visit.save')}
            </Button>
          ) : null}
        </Form>
      ) : current ? (
        <VisitSummary visit={current} />
      ) : null}

      {current ? (
        <Card size="small" title={t('intake.visit.photos', { n: current.photos.length })}>
          <Space wrap>
            {current.photos.map((p) => (
              <Image
                key={p.id}
                width={96}
                height={96}
                style={{ objectFit: 'cover' }}
                src={photoUrl(current.id, p.id)}
              />
            ))}
          </Space>
          {current.status !== 'confirmed' ? (
            <>
              <input
                ref={fileInput}
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                multiple
                hidden
                data-testid="photo-input"
                onChange={(e) => void addPhotos(e.target.files)}
              />
              <Button
                block
                style={{ marginTop: 8 }}
                loading={busy === 'photo'}
                onClick={() => fileInput.current?.click()}
              >
                {t('intake.visit.addPhoto')}
              </Button>
              <Typography.Text type="secondary">{t('intake.visit.photoHint')}</Typography.Text>
            </>
          ) : null}
        </Card>
      ) : null}

      {current && isSecond && current.status !== 'confirmed' ? (
        <Button
          type="primary"
          block
          size="large"
          loading={busy === 'confirm'}
          data-testid="confirm-visit"
          onClick={() =>
            void run('confirm', () => confirmVisit(current.id, current.version), t('intake.visit.confirmed'))
          }
        >
          {t('intake.visit.confirm')}
        </Button>
      ) : null}
      {canComplete && c && step ? (
        <Button
          type="primary"
          block
          size="large"
          loading={busy === 'complete'}
          data-testid="complete-step"
          onClick={() =>
            void run(
              'complete',
              () =>
                transition(id, {
                  version: c.version,
                  step: step.id,
                  action: 'complete',
                  investigators: [current.firstInvestigator.name, current.secondInvestigator.name],
                }),
              t('intake.visit.stepDone'),
            )
          }
        >
          {t('intake.visit.completeStep')}
        </Button>
      ) : null}
      <Link to="/intake">{t('intake.visit.back')}</Link>
    </Space>
  );
}
