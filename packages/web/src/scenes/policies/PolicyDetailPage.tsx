/** /policies/detail?file= — a policy shown readably (ledger, conditions, amount), its text and versions. */
import { EditOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, List, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import styles from './policies.module.css';
import { editorPath, type FileDetail, loadFile, versionLabel } from './policiesApi';
import { VersionTable } from './VersionTable';

type Policy = NonNullable<FileDetail['policy']>;

function PolicyReadable({ policy }: { policy: Policy }) {
  const { t, i18n } = useTranslation();
  const list = (items: string[]) => (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {items.map((x) => (
        <li key={x}>{x}</li>
      ))}
    </ul>
  );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        title={t('policies.detail.ledger')}
        data-testid="policy-ledger-entry"
        items={[
          {
            key: 'name',
            label: t('policies.columns.name'),
            children: i18n.language === 'en' ? policy.name.en : policy.name.zh,
          },
          { key: 'dept', label: t('policies.columns.department'), children: policy.department },
          { key: 'cat', label: t('policies.columns.category'), children: policy.category },
          { key: 'process', label: t('policies.detail.process'), children: policy.process },
          {
            key: 'limit',
            label: t('policies.detail.timeLimit'),
            children:
              policy.timeLimitWorkingDays === null
                ? '—'
                : t('policies.detail.workingDays', { n: policy.timeLimitWorkingDays }),
          },
          { key: 'office', label: t('policies.detail.office'), children: policy.office },
          { key: 'phone', label: t('policies.detail.phone'), children: policy.phone },
          { key: 'ref', label: t('policies.detail.reference'), children: policy.reference },
          {
            key: 'legal',
            label: t('policies.detail.legalBasis'),
            span: 2,
            children: list(policy.legalBasis),
          },
          { key: 'docs', label: t('policies.detail.documents'), span: 2, children: list(policy.documents) },
          {
            key: 'facts',
            label: t('policies.detail.requiredFacts'),
            span: 2,
            children: policy.requiredFacts.map((f) => <Tag key={f}>{f}</Tag>),
          },
        ]}
      />
      <Typography.Title level={5}>{t('policies.detail.conditions')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={policy.conditions}
        scroll={{ x: 720 }}
        data-testid="policy-conditions"
        columns={[
          {
            title: 'ID',
            dataIndex: 'id',
            width: 190,
            render: (id: string, c) => (
              <Space size={4} wrap>
                <span>{id}</span>
                {c.veto ? <Tag color="red">{t('policies.detail.veto')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('policies.check.message'), dataIndex: 'explanation' },
          {
            title: 'CEL',
            dataIndex: 'expression',
            width: 360,
            render: (x: string) => <Typography.Text code>{x}</Typography.Text>,
          },
        ]}
      />
      {policy.amount ? (
        <Descriptions
          bordered
          size="small"
          column={1}
          title={t('policies.detail.amount')}
          items={[
            {
              key: 'formula',
              label: t('policies.detail.formula'),
              children: <Typography.Text code>{policy.amount.formula}</Typography.Text>,
            },
            {
              key: 'unit',
              label: t('policies.detail.unit'),
              children: t(`policies.units.${policy.amount.unit.replace('/', '_')}`, {
                defaultValue: policy.amount.unit,
              }),
            },
            {
              key: 'rounding',
              label: t('policies.detail.rounding'),
              children: policy.amount.rounding || '—',
            },
          ]}
        />
      ) : null}
    </Space>
  );
}

export default function PolicyDetailPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const file = params.get('file') ?? '';
  const detail = useLoad(() => loadFile(file), [file]);
  if (detail.error) return <ApiErrorPage error={detail.error} />;
  const d = detail.data;
  const title = d?.policy ? (i18n.language === 'en' ? d.policy.name.en : d.policy.name.zh) || file : file;

  return (
    <Card
      loading={detail.loading && !d}
      title={
        <Space wrap>
          <span>{title}</span>
          {title !== file ? (
            <Typography.Text type="secondary" code>
              {file}
            </Typography.Text>
          ) : null}
        </Space>
      }
      extra={
        can('policy.edit') ? (
          <Button
            type="primary"
            icon={<EditOutlined />}
            onClick={() => navigate(editorPath(file))}
            data-testid="policy-edit"
          >
            {t('policies.edit')}
          </Button>
        ) : null
      }
    >
      {d ? (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color="green">
              {t('policies.detail.inForceToday', { v: versionLabel(t, d.inForceToday) })}
            </Tag>
            {d.versionNo !== d.inForceToday ? (
              <Tag color="blue">
                {t('policies.scheduled', { n: d.versionNo, date: d.versions[0]?.effectiveFrom ?? '' })}
              </Tag>
            ) : null}
            {d.draft ? <Tag color="orange">{t('policies.hasDraft')}</Tag> : null}
          </Space>
          <Tabs
            items={[
              ...(d.policy
                ? [
                    {
                      key: 'readable',
                      label: t('policies.detail.ledger'),
                      children: <PolicyReadable policy={d.policy} />,
                    },
                  ]
                : []),
              {
                key: 'versions',
                label: t('policies.detail.versions'),
                children: (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <VersionTable file={d.file} versions={d.versions} />
                    {d.scenarioFile ? (
                      <>
                        <Typography.Title level={5}>{t('policies.detail.scenarios')}</Typography.Title>
                        <VersionTable file={d.scenarioFile} versions={d.scenarioVersions} />
                      </>
                    ) : null}
                  </Space>
                ),
              },
              {
                key: 'text',
                label: t('policies.detail.text'),
                children: <pre className={styles.source}>{d.body}</pre>,
              },
              ...(d.scenarioBody !== null
                ? [
                    {
                      key: 'scenarios',
                      label: t('policies.detail.scenarios'),
                      children: d.scenarioBody ? (
                        <pre className={styles.source}>{d.scenarioBody}</pre>
                      ) : (
                        <Empty />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </>
      ) : (
        <List loading />
      )}
    </Card>
  );
}
