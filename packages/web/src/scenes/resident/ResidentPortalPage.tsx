/**
 * 网上办理 (mobile): my household, my applications with each case's steps and due dates (and the
 * papers still needed), notices of my village with an objection button, my enrolment, and the apply
 * form. Residents only; anyone else is sent to the phone sign-in.
 */
import { Alert, Button, Card, Empty, List, message, Spin, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccountState } from '../../auth/AccountContext';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { DocumentList } from '../intake/DocumentsCard';
import { myDocuments, residentDocumentUrl, type StatutoryDocument } from '../intake/decisionsApi';
import { ObjectionDialog } from '../notices/ObjectionDialog';
import { ApplyForm } from './ApplyForm';
import styles from './resident.module.css';
import { loadPortal, type PortalCase, yuan } from './residentApi';

const DUE_COLOUR: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red' };

function CaseCard({
  c,
  receivedOn,
  documents,
}: {
  c: PortalCase;
  receivedOn: string;
  documents: readonly StatutoryDocument[];
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const current = c.steps.findIndex((s) => s.state === 'current');
  const done = c.steps.filter((s) => s.state === 'done').length;
  return (
    <Card size="small" className={styles.section} data-testid="portal-case">
      <div className={styles.caseHead}>
        <Typography.Text strong>{en ? c.policyNameEn : c.policyName}</Typography.Text>
        <Tag
          color={c.status === 'completed' ? 'green' : c.status === 'awaitingApplicant' ? 'orange' : 'blue'}
        >
          {t(`resident.status.${c.status}`)}
        </Tag>
      </div>
      <div className={styles.muted}>
        {t('resident.portal.received', { date: receivedOn })} ·{' '}
        {t('resident.portal.caseDue', { date: c.caseDueOn })}
      </div>
      {c.currentStep ? (
        <div style={{ margin: '8px 0' }}>
          <div>
            {t('resident.portal.stepNow', {
              step: en ? c.currentStep.nameEn : c.currentStep.name,
              office: en ? t(`intake.office.${c.currentStep.office}`) : c.currentStep.officeName,
            })}
          </div>
          {c.currentStep.dueOn ? (
            <Tag color={DUE_COLOUR[c.currentStep.dueStatus ?? 'green']} style={{ marginTop: 4 }}>
              {t('resident.portal.dueOn', { date: c.currentStep.dueOn })}
            </Tag>
          ) : null}
          {c.currentStep.missingDocuments.length ? (
            <Alert
              style={{ marginTop: 8 }}
              type={c.status === 'awaitingApplicant' ? 'warning' : 'info'}
              title={t('resident.portal.missing')}
              description={c.currentStep.missingDocuments.map((d) => (en ? d.nameEn : d.name)).join('；')}
            />
          ) : null}
        </div>
      ) : null}
      {c.outcomeReason ? (
        <Alert type="info" title={t('resident.portal.outcome', { reason: c.outcomeReason })} />
      ) : null}
      <Steps
        orientation="vertical"
        size="small"
        current={current >= 0 ? current : done}
        style={{ marginTop: 8 }}
        items={c.steps.map((s) => ({
          title: en ? s.nameEn : s.name,
          status: s.state === 'done' ? 'finish' : s.state === 'current' ? 'process' : 'wait',
        }))}
      />
      {documents.length ? (
        <>
          <Typography.Text strong>{t('decisions.documents')}</Typography.Text>
          <DocumentList documents={documents} urlOf={residentDocumentUrl} />
        </>
      ) : null}
    </Card>
  );
}

export default function ResidentPortalPage() {
  const { t } = useTranslation();
  const { status, account, signOut } = useAccountState();
  const [applying, setApplying] = useState(false);
  const [objecting, setObjecting] = useState<string | null>(null);
  const { data, error, loading, reload } = useLoad(() => loadPortal(), []);
  const docs = useLoad(() => myDocuments(), [data]);
  const documents = docs.data ?? [];

  if (status === 'loading') return <Spin style={{ margin: 48 }} />;
  if (status === 'signedOut' || !account?.permissions.includes('resident.portal'))
    return <Navigate to="/resident/login" replace />;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.logo} aria-hidden>
          兜
        </div>
        <span className={styles.headerTitle}>{t('resident.title')}</span>
        <LanguageSwitch light />
        <Button type="text" style={{ color: '#fff' }} onClick={() => void signOut()}>
          {t('resident.portal.signOut')}
        </Button>
      </header>
      <main className={styles.main}>
        <Typography.Title level={4} style={{ margin: '4px 0' }}>
          {t('resident.portal.hello', { name: account.displayName })}
        </Typography.Title>
        {loading && !data ? <Spin /> : null}
        {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
        {data && !data.linked ? (
          <Alert type="warning" showIcon title={t('resident.portal.notLinked')} />
        ) : null}
        {data?.household && applying ? (
          <ApplyForm
            householdId={data.household.id}
            onDone={(submitted) => {
              setApplying(false);
              if (submitted) {
                void message.success(t('resident.apply.submitted'));
                reload();
              }
            }}
          />
        ) : null}
        {data?.household && !applying ? (
          <>
            <Card
              className={styles.section}
              title={t('resident.portal.applications')}
              extra={
                <Button type="primary" onClick={() => setApplying(true)} data-testid="portal-apply">
                  {t('resident.portal.apply')}
                </Button>
              }
            >
              {data.applications.length === 0 ? (
                <Empty description={t('resident.portal.noApplications')} />
              ) : (
                <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
                  {data.applications.flatMap((a) =>
                    a.cases.map((c) => (
                      <CaseCard
                        key={c.id}
                        c={c}
                        receivedOn={a.receivedOn}
                        documents={documents.filter((d) => d.caseId === c.id)}
                      />
                    )),
                  )}
                </div>
              )}
            </Card>
            {documents.some((d) => d.caseId === null) ? (
              <Card className={styles.section} title={t('decisions.portalDocuments')}>
                <DocumentList
                  documents={documents.filter((d) => d.caseId === null)}
                  urlOf={residentDocumentUrl}
                />
              </Card>
            ) : null}
            {data.enrolments.length ? (
              <Card className={styles.section} title={t('resident.portal.enrolments')}>
                <List
                  dataSource={data.enrolments}
                  renderItem={(e) => (
                    <List.Item>
                      <List.Item.Meta
                        title={
                          <>
                            {t(`resident.category.${e.category}`)}{' '}
                            <Tag>{t(`resident.enrolmentStatus.${e.status}`)}</Tag>
                          </>
                        }
                        description={t('resident.portal.enrolmentLine', {
                          amount:
                            e.monthlyAmountFen === null
                              ? t('resident.portal.amountPending')
                              : yuan(e.monthlyAmountFen),
                          from: e.startsOn,
                          review: e.nextReviewOn,
                        })}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            ) : null}
            <Card className={styles.section} title={t('resident.portal.notices')}>
              {data.notices.length === 0 ? (
                <Empty description={t('resident.portal.noNotices')} />
              ) : (
                <List
                  dataSource={data.notices}
                  renderItem={(n) => (
                    <List.Item
                      actions={
                        n.status === 'open' && !n.mine
                          ? [
                              <Button key="object" size="small" onClick={() => setObjecting(n.id)}>
                                {t('resident.portal.object')}
                              </Button>,
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <>
                            {t('resident.portal.noticeLine', {
                              name: n.headName,
                              id: n.idNumberMasked,
                              size: n.householdSize,
                              amount: yuan(n.proposedAmountFen),
                            })}{' '}
                            {n.mine ? <Tag color="red">{t('resident.portal.mine')}</Tag> : null}
                          </>
                        }
                        description={t('resident.portal.noticeDates', { from: n.startsOn, to: n.endsOn })}
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
            <Card className={styles.section} title={t('resident.portal.household')}>
              <div className={styles.muted}>
                {data.household.regionName} ·{' '}
                {t('resident.portal.householdNumber', { number: data.household.householdNumber })}
              </div>
              <List
                dataSource={data.household.members}
                renderItem={(m) => (
                  <List.Item>
                    {m.name} · {t(`resident.relationship.${m.relationship}`)} · {m.idNumberMasked}{' '}
                    {m.me ? <Tag color="blue">{t('resident.portal.me')}</Tag> : null}
                  </List.Item>
                )}
              />
            </Card>
          </>
        ) : null}
      </main>
      {objecting ? (
        <ObjectionDialog
          noticeId={objecting}
          onClose={(submitted) => {
            setObjecting(null);
            if (submitted) reload();
          }}
        />
      ) : null}
    </div>
  );
}
