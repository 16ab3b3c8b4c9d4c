/** What a check found: located problems (file:line:column) and failing scenario tests. */
import { Alert, List, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from './policiesApi';

export function CheckResultView({ result }: { result: CheckResult }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="check-result">
      <Alert
        showIcon
        type={result.passed ? 'success' : 'error'}
        data-testid={result.passed ? 'check-passed' : 'check-failed'}
        title={
          result.passed
            ? t('policies.check.passed', { total: result.scenarios.total, ms: result.tookMs })
            : t('policies.check.failed', {
                problems: result.problems.length,
                failures: result.scenarios.failures.length,
              })
        }
      />
      {result.problems.length > 0 ? (
        <Table
          size="small"
          pagination={false}
          rowKey={(p) => `${p.file}:${p.line}:${p.column}:${p.code}:${p.message}`}
          dataSource={result.problems}
          columns={[
            {
              title: t('policies.check.location'),
              key: 'at',
              width: 280,
              render: (_, p) => <Typography.Text code>{`${p.file}:${p.line}:${p.column}`}</Typography.Text>,
            },
            { title: t('policies.check.message'), dataIndex: 'message' },
          ]}
        />
      ) : null}
      {result.scenarios.failures.length > 0 ? (
        <List
          size="small"
          bordered
          header={t('policies.check.failures')}
          dataSource={result.scenarios.failures}
          renderItem={(f) => (
            <List.Item>
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>
                  {f.policy} · {f.name}
                </Typography.Text>
                {f.differences.map((d) => (
                  <Typography.Text key={d} type="danger" code>
                    {d}
                  </Typography.Text>
                ))}
              </Space>
            </List.Item>
          )}
        />
      ) : null}
    </Space>
  );
}
