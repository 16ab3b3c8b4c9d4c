/** 我的上报: the person's own requests and where each stands (residents follow a self-report here). */
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { myRequests } from './alertsApi';

export function MyRequests() {
  const { t } = useTranslation();
  const loaded = useLoad(() => myRequests(), []);
  if (!loaded.data?.length) return null;
  return (
    <Card size="small" title={t('alerts.mine.title')} data-testid="my-requests">
      <List
        size="small"
        dataSource={loaded.data}
        renderItem={(r) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Tag color={r.status === 'closed' ? 'green' : 'blue'}>{t(`alerts.status.${r.status}`)}</Tag>
              <Typography.Text>{r.category ? t(`alerts.category.${r.category}`) : ''}</Typography.Text>{' '}
              <Typography.Text type="secondary">{new Date(r.raisedAt).toLocaleDateString()}</Typography.Text>
              <div>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: '100%' }}>
                  {r.text}
                </Typography.Text>
              </div>
              {r.leadDepartment && r.status !== 'closed' ? (
                <Typography.Text type="secondary">
                  {t('alerts.mine.with', {
                    lead: t(`alerts.department.${r.leadDepartment}`, { defaultValue: r.leadDepartment }),
                  })}
                </Typography.Text>
              ) : null}
              {r.outcome ? (
                <Typography.Text type="secondary">{t(`alerts.outcome.${r.outcome}`)}</Typography.Text>
              ) : null}
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}
