/** The login page: a centred card, Chinese validation, and the server's lock-out and rate-limit messages. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, call, errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccountState } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import styles from './login.module.css';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths: a crafted ?from=https://evil.example must not redirect off the platform. */
function safeReturnPath(from: string | null): string {
  return from?.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { status, signedIn } = useAccountState();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Credentials>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const returnPath = safeReturnPath(params.get('from'));
  // The demo password is printed only where demo accounts exist (never in production).
  const meta = useLoad(() => call(api.GET('/api/meta')), []);

  if (status === 'loading') return <FullPageSpin />;
  if (status === 'signedIn' && !submitting) return <Navigate to={returnPath} replace />;

  const submit = async (values: Credentials) => {
    setSubmitting(true);
    setFailure(null);
    try {
      const account = await call(api.POST('/api/auth/login', { body: values }));
      signedIn(account);
      navigate(returnPath, { replace: true });
    } catch (error) {
      setFailure(error instanceof ApiError ? error : null);
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className={styles.page}>
      <div className={styles.language}>
        <LanguageSwitch />
      </div>
      <Card className={styles.card} variant="borderless">
        <div className={styles.brand}>
          <div className={styles.logo} aria-hidden>
            兜
          </div>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        {failure ? <FailureAlert error={failure} /> : null}
        <Form<Credentials> form={form} layout="vertical" requiredMark={false} onFinish={submit} size="large">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {meta.data?.demo ? (
          <Typography.Paragraph type="secondary" className={styles.hint} style={{ marginBottom: 0 }}>
            {t('login.demoHint')}
          </Typography.Paragraph>
        ) : null}
      </Card>
      <Link to="/self-check" className={styles.selfCheck} data-testid="self-check-link">
        {t('selfCheck.entry')}
      </Link>
      <Typography.Text type="secondary" className={styles.footer}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}

function FailureAlert({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  // Lock-out and rate limits get a title, so a person knows waiting is the remedy, not retyping.
  const title =
    error.code === 'ACCOUNT_LOCKED'
      ? t('login.locked')
      : error.code === 'RATE_LIMITED'
        ? t('login.rateLimited')
        : null;
  return (
    <Alert
      type={title ? 'warning' : 'error'}
      showIcon
      data-testid="login-error"
      style={{ marginBottom: 16 }}
      title={title ?? errorText(error)}
      description={title ? errorText(error) : undefined}
    />
  );
}
