/**
 * 居民手机号登录 (mobile): phone → code (with a resend countdown) → sign in; on a first sign-in the
 * server asks for the ID number, checked against the register. Nothing here says whether a phone is
 * registered: the server answers every phone alike.
 */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { useAccountState } from '../../auth/AccountContext';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import styles from './resident.module.css';
import { requestCode, signIn } from './residentApi';

interface Values {
  phone: string;
  code: string;
  idNumber?: string;
}

export default function ResidentLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signedIn } = useAccountState();
  const [form] = Form.useForm<Values>();
  const [countdown, setCountdown] = useState(0);
  const [sent, setSent] = useState(false);
  const [needsId, setNeedsId] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  const send = async () => {
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    setFailure(null);
    try {
      const answer = await requestCode(form.getFieldValue('phone'));
      setSent(true);
      setCountdown(answer.resendAfterSeconds);
    } catch (error) {
      setFailure(error);
    }
  };

  const submit = async (values: Values) => {
    setBusy(true);
    setFailure(null);
    try {
      const answer = await signIn({
        phone: values.phone,
        code: values.code,
        idNumber: values.idNumber || undefined,
      });
      if (answer.status === 'needsIdNumber' || !answer.account) {
        setNeedsId(true);
        return;
      }
      signedIn(answer.account);
      navigate('/resident', { replace: true });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.logo} aria-hidden>
          兜
        </div>
        <span className={styles.headerTitle}>{t('resident.title')}</span>
        <LanguageSwitch light />
      </header>
      <main className={styles.main}>
        <Card className={styles.section}>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('resident.login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('resident.login.hint')}</Typography.Paragraph>
          <Form form={form} layout="vertical" size="large" onFinish={submit} requiredMark={false}>
            <Form.Item
              name="phone"
              label={t('resident.login.phone')}
              rules={[
                { required: true, pattern: /^1[3-9]\d{9}$/, message: t('resident.login.phonePlaceholder') },
              ]}
            >
              <Input
                inputMode="numeric"
                autoComplete="tel"
                maxLength={11}
                placeholder={t('resident.login.phonePlaceholder')}
                data-testid="resident-phone"
              />
            </Form.Item>
            <Form.Item label={t('resident.login.code')} required>
              <div className={styles.codeRow}>
                <Form.Item
                  name="code"
                  noStyle
                  rules={[
                    { required: true, pattern: /^\d{6}$/, message: t('resident.login.codePlaceholder') },
                  ]}
                >
                  <Input
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    placeholder={t('resident.login.codePlaceholder')}
                    data-testid="resident-code"
                  />
                </Form.Item>
                <Button onClick={send} disabled={countdown > 0} data-testid="resident-send-code">
                  {countdown > 0
                    ? t('resident.login.resendIn', { seconds: countdown })
                    : t('resident.login.sendCode')}
                </Button>
              </div>
            </Form.Item>
            {sent && !needsId ? (
              <Typography.Paragraph type="success">{t('resident.login.codeSent')}</Typography.Paragraph>
            ) : null}
            {needsId ? (
              <Form.Item
                name="idNumber"
                label={t('resident.login.idNumber')}
                extra={t('resident.login.idNumberHint')}
                rules={[
                  { required: true, pattern: /^\d{17}[\dXx]$/, message: t('resident.login.idNumberHint') },
                ]}
              >
                <Input maxLength={18} autoComplete="off" data-testid="resident-id-number" />
              </Form.Item>
            ) : null}
            {failure ? (
              <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
            ) : null}
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="resident-sign-in">
              {t('resident.login.submit')}
            </Button>
          </Form>
          <div className={styles.links}>
            <Link to="/self-check">{t('resident.login.selfCheck')}</Link>
            <Link to="/login">{t('resident.login.staffLogin')}</Link>
          </div>
        </Card>
      </main>
    </div>
  );
}
