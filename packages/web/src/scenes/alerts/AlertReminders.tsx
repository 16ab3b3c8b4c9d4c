/**
 * 我的提醒: escalations (not accepted in time, handling overdue) and handling due soon, addressed to
 * the signed-in user's office or department (server: alert_outbox, in-app channel), newest first.
 */
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { listReminders } from './alertsApi';

const KIND_TAG: Record<string, string> = {
  acceptEscalated: 'volcano',
  handleDueSoon: 'gold',
  handleEscalated: 'red',
};

export function AlertReminders({
  onOpen,
  reloadKey,
}: {
  onOpen: (alertId: string) => void;
  reloadKey: number;
}) {
  const { t } = useTranslation();
  const loaded = useLoad(() => listReminders(20), [reloadKey]);
  if (loaded.error) return null;
  const items = loaded.data ?? [];
  return (
    <Card
      size="small"
      title={t('alerts.reminders.title')}
      loading={loaded.loading}
      data-testid="alert-reminders"
    >
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: t('alerts.reminders.empty') }}
        renderItem={(m) => (
          <List.Item
            actions={[
              <Button key="open" size="small" type="link" onClick={() => onOpen(m.alertId)}>
                {t('alerts.reminders.open')}
              </Button>,
            ]}
          >
            <Space size={6} wrap>
              <Tag color={KIND_TAG[m.kind]}>{t(`alerts.reminders.kind.${m.kind}`)}</Tag>
              <Typography.Text>{m.message}</Typography.Text>
              <Typography.Text type="secondary">{new Date(m.createdAt).toLocaleDateString()}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
