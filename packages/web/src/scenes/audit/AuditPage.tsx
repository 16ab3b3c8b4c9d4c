/** /audit — the hash-chained audit trail of the region, newest first, and a check of the chain. */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorText } from '../../api/client';
import type { paths } from '../../api/generated/schema';
import { useCan } from '../../auth/AccountContext';
import { formatTime, roleName } from '../../components/labels';
import { ApiErrorPage } from '../errors/ErrorPage';

const PAGE = 50;
type Entry = Awaited<ReturnType<typeof loadEntries>>[number];
type Verification = paths['/api/audit/verify']['post']['responses'][200]['content']['application/json'];

function loadEntries(beforeSeq?: number) {
  return call(api.GET('/api/audit', { params: { query: { limit: PAGE, beforeSeq } } }));
}

export default function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const readable = can('audit.read');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {can('audit.verify') ? <VerifyCard /> : null}
      {readable ? (
        <EntriesTable />
      ) : (
        <Typography.Text type="secondary">{t('audit.noReadPermission')}</Typography.Text>
      )}
    </Space>
  );
}

function VerifyCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<Verification | null>(null);

  const verify = async () => {
    setChecking(true);
    try {
      setResult(await call(api.POST('/api/audit/verify')));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setChecking(false);
    }
  };

  const text = (r: Verification) => (i18n.language === 'en' ? r.messageEn : r.message);

  return (
    <Card title={t('audit.chainTitle')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('audit.chainIntro')}</Typography.Text>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={checking}
          onClick={verify}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
        {result ? (
          <Alert
            type={result.ok ? 'success' : 'error'}
            showIcon
            data-testid="audit-verify-result"
            title={text(result)}
          />
        ) : null}
      </Space>
    </Card>
  );
}

function EntriesTable() {
  const { t, i18n } = useTranslation();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [exhausted, setExhausted] = useState(false);

  const more = useCallback(async (beforeSeq?: number) => {
    setLoading(true);
    try {
      const page = await loadEntries(beforeSeq);
      setEntries((previous) => (beforeSeq === undefined ? page : [...previous, ...page]));
      setExhausted(page.length < PAGE);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void more();
  }, [more]);

  if (error) return <ApiErrorPage error={error} />;
  const last = entries.at(-1);
  return (
    <Card title={t('audit.title')} size="small">
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={entries}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq', width: 72 },
          { title: t('audit.at'), dataIndex: 'at', render: (at: string) => formatTime(at, i18n.language) },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (action: string) => t(`audit.actions.${action}`, { defaultValue: action }),
          },
          {
            title: t('audit.actorRole'),
            dataIndex: 'actorRole',
            render: (role: string | null) => roleName(t, role),
          },
          {
            title: t('audit.entity'),
            key: 'entity',
            responsive: ['md'],
            render: (_, entry) => {
              const type = t(`audit.entities.${entry.entityType}`, { defaultValue: entry.entityType });
              return entry.entityId ? `${type} · ${entry.entityId.slice(0, 8)}` : type;
            },
          },
          { title: t('audit.regionCode'), dataIndex: 'regionCode', responsive: ['lg'] },
          {
            title: t('audit.hash'),
            dataIndex: 'hash',
            responsive: ['lg'],
            render: (hash: string) => (
              <Typography.Text code copyable={{ text: hash }}>
                {hash.slice(0, 12)}
              </Typography.Text>
            ),
          },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {exhausted ? (
          <Typography.Text type="secondary">{t('audit.noMore')}</Typography.Text>
        ) : (
          <Button loading={loading} onClick={() => last && more(last.seq)}>
            {t('audit.more')}
          </Button>
        )}
      </div>
    </Card>
  );
}
