/**
 * 救助助手: the public, mobile-first self-check. Three short steps (household, income, spending
 * and property), then the results as cards. No sign-in and no personal identifiers; the answers
 * live only in this page's memory and in the one request that computes the estimate.
 */
import { Alert, Button, Form, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, errorText } from '../../api/client';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { MembersStep } from './MembersStep';
import { IncomeStep, PropertyStep } from './MoneySteps';
import { SelfCheckResults } from './SelfCheckResults';
import styles from './selfCheck.module.css';
import { initialValues, type SelfCheckAnswer, type SelfCheckValues, toRequest } from './selfCheckRequest';

const LAST_FORM_STEP = 2;

export default function SelfCheckPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SelfCheckValues>();
  const [step, setStep] = useState(0);
  const [answer, setAnswer] = useState<SelfCheckAnswer | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const go = (to: number) => {
    setStep(to);
    window.scrollTo({ top: 0 });
  };

  const next = async () => {
    try {
      await form.validateFields();
    } catch {
      return; // antd shows the messages beside the fields
    }
    if (step < LAST_FORM_STEP) return go(step + 1);
    setSubmitting(true);
    setFailure(null);
    try {
      // getFieldsValue(true) includes the steps that are no longer on screen.
      const body = toRequest(form.getFieldsValue(true) as SelfCheckValues);
      setAnswer(await call(api.POST('/api/public/self-check', { body })));
      go(LAST_FORM_STEP + 1);
    } catch (error) {
      setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  const restart = () => {
    form.resetFields();
    setAnswer(null);
    go(0);
  };

  const stepTitles = [
    t('selfCheck.steps.members'),
    t('selfCheck.steps.income'),
    t('selfCheck.steps.property'),
  ];
  const showingResults = step > LAST_FORM_STEP && answer;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.logo} aria-hidden>
          兜
        </div>
        <span className={styles.headerTitle}>{t('selfCheck.title')}</span>
        <LanguageSwitch light />
      </header>
      <main className={styles.main}>
        {step === 0 ? (
          <div className={styles.intro}>
            <Typography.Paragraph style={{ fontSize: 16, marginBottom: 8 }}>
              {t('selfCheck.subtitle')}
            </Typography.Paragraph>
            <Alert type="info" showIcon title={t('selfCheck.privacy')} data-testid="self-check-privacy" />
          </div>
        ) : null}
        {showingResults ? null : (
          <>
            <Steps
              current={step}
              size="small"
              responsive={false}
              titlePlacement="vertical"
              items={stepTitles.map((title) => ({ title }))}
              style={{ margin: '8px 0 16px' }}
            />
            <Form<SelfCheckValues>
              form={form}
              layout="vertical"
              size="large"
              requiredMark={false}
              initialValues={initialValues}
              scrollToFirstError
            >
              {step === 0 ? <MembersStep form={form} /> : null}
              {step === 1 ? <IncomeStep /> : null}
              {step === 2 ? <PropertyStep form={form} /> : null}
            </Form>
            {failure ? (
              <Alert type="error" showIcon title={errorText(failure)} data-testid="self-check-error" />
            ) : null}
          </>
        )}
        {showingResults ? (
          <SelfCheckResults answer={answer} onEdit={() => go(0)} onRestart={restart} />
        ) : null}
        <Link to="/login" className={styles.entryLink}>
          {t('selfCheck.signIn')}
        </Link>
      </main>
      {showingResults ? null : (
        <nav className={styles.nav}>
          <div className={styles.navInner}>
            {step > 0 ? (
              <Button block onClick={() => go(step - 1)} data-testid="self-check-back">
                {t('selfCheck.previous')}
              </Button>
            ) : null}
            <Button type="primary" block loading={submitting} onClick={next} data-testid="self-check-next">
              {step === LAST_FORM_STEP ? t('selfCheck.submit') : t('selfCheck.next')}
            </Button>
          </div>
        </nav>
      )}
    </div>
  );
}
