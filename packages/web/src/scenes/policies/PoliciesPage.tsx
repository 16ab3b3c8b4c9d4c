/** /policies — the policy ledger (政策一本账) in force on a date, and the parameter and variable files. */
import { Card, DatePicker, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import {
  detailPath,
  editorPath,
  type LedgerFile,
  type LedgerPolicy,
  loadLedger,
  versionLabel,
} from './policiesApi';

export default function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [date, setDate] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const ledger = useLoad(() => loadLedger(date), [date]);
  if (ledger.error) return <ApiErrorPage error={ledger.error} />;
  const en = i18n.language === 'en';
  const needle = search.trim().toLowerCase();
  const matches = (...texts: string[]) => !needle || texts.some((x) => x.toLowerCase().includes(needle));

  const versionCell = (versionNo: number, effectiveFrom: string | null) => (
    <Space size={4} wrap>
      <span>{versionLabel(t, versionNo)}</span>
      {effectiveFrom ? <Typography.Text type="secondary">{effectiveFrom}</Typography.Text> : null}
    </Space>
  );

  const policies = (ledger.data?.policies ?? []).filter((p) =>
    matches(p.name.zh, p.name.en, p.department, p.category, p.file),
  );
  const files = (ledger.data?.files ?? []).filter((f) => matches(f.file));

  return (
    <Card
      title={t('policies.title')}
      extra={
        <Space wrap>
          <Typography.Text type="secondary" data-testid="catalog-version">
            {t('policies.catalogVersion')}：{ledger.data?.version ?? '…'}
          </Typography.Text>
          <DatePicker
            allowClear
            placeholder={t('policies.onDate')}
            onChange={(value) => setDate(value ? value.format('YYYY-MM-DD') : undefined)}
            value={date ? dayjs(date) : null}
          />
        </Space>
      }
    >
      <Input.Search
        allowClear
        placeholder={t('policies.searchPlaceholder')}
        onChange={(e) => setSearch(e.target.value)}
        style={{ maxWidth: 360, marginBottom: 12 }}
      />
      <Tabs
        items={[
          {
            key: 'policies',
            label: `${t('policies.tabPolicies')}（${policies.length}）`,
            children: (
              <Table<LedgerPolicy>
                rowKey="file"
                size="small"
                loading={ledger.loading}
                dataSource={policies}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                scroll={{ x: 720 }}
                data-testid="policy-ledger"
                columns={[
                  {
                    title: t('policies.columns.name'),
                    key: 'name',
                    render: (_, p) => (
                      <Space size={4} wrap>
                        <Link to={detailPath(p.file)}>{en ? p.name.en : p.name.zh}</Link>
                        {p.hasDraft ? <Tag color="orange">{t('policies.hasDraft')}</Tag> : null}
                      </Space>
                    ),
                  },
                  { title: t('policies.columns.department'), dataIndex: 'department', width: 110 },
                  { title: t('policies.columns.category'), dataIndex: 'category', width: 150 },
                  {
                    title: t('policies.columns.version'),
                    key: 'version',
                    width: 200,
                    render: (_, p) => (
                      <Space orientation="vertical" size={0}>
                        {versionCell(p.versionNo, p.effectiveFrom)}
                        {p.scheduled ? (
                          <Tag color="blue">
                            {t('policies.scheduled', {
                              n: p.scheduled.versionNo,
                              date: p.scheduled.effectiveFrom,
                            })}
                          </Tag>
                        ) : null}
                      </Space>
                    ),
                  },
                  ...(can('policy.edit')
                    ? [
                        {
                          title: '',
                          key: 'edit',
                          width: 70,
                          render: (_: unknown, p: LedgerPolicy) => (
                            <Link to={editorPath(p.file)}>{t('policies.edit')}</Link>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
          {
            key: 'files',
            label: `${t('policies.tabFiles')}（${files.length}）`,
            children: (
              <Table<LedgerFile>
                rowKey="file"
                size="small"
                loading={ledger.loading}
                dataSource={files}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                data-testid="policy-files"
                columns={[
                  {
                    title: t('policies.columns.file'),
                    key: 'file',
                    render: (_, f) => (
                      <Space size={4} wrap>
                        <Link to={detailPath(f.file)}>
                          <Typography.Text code>{f.file}</Typography.Text>
                        </Link>
                        {f.hasDraft ? <Tag color="orange">{t('policies.hasDraft')}</Tag> : null}
                      </Space>
                    ),
                  },
                  {
                    title: t('policies.columns.version'),
                    key: 'version',
                    width: 200,
                    render: (_, f) => versionCell(f.versionNo, f.effectiveFrom),
                  },
                  {
                    title: t('policies.columns.latest'),
                    key: 'latest',
                    width: 120,
                    render: (_, f) => versionLabel(t, f.latestVersionNo),
                  },
                  ...(can('policy.edit')
                    ? [
                        {
                          title: '',
                          key: 'edit',
                          width: 70,
                          render: (_: unknown, f: LedgerFile) => (
                            <Link to={editorPath(f.file)}>{t('policies.edit')}</Link>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
