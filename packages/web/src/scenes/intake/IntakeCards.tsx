/**
 * Cards on the intake page: the cases of the intake just submitted (the wizard lands here), and the
 * home visits waiting for the user's confirmation as second investigator.
 */
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { DueTag } from './IntakePage';
import { awaitingMe, getApplication } from './intakeApi';

export function ApplicationCases({
  id,
  onOpen,
  onClear,
}: {
  id: string;
  onOpen(caseId: string): void;
  onClear(): void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const loaded = useLoad(() => getApplication(id), [id]);
  const a = loaded.data;
  return (
    <Card
      size="small"
      title={t('intake.tabs.application')}
      loading={loaded.loading && !a}
      extra={
        <Button type="link" onClick={onClear}>
          {t('intake.tabs.clearApplication')}
        </Button>
      }
      data-testid="application-cases"
    >
      {a ? (
        <List
          size="small"
          dataSource={a.cases}
          renderItem={(c) => (
            <List.Item
              style={{ cursor: 'pointer' }}
              onClick={() => onOpen(c.id)}
              actions={[<DueTag key="due" status={c.currentStep?.clock?.dueStatus} />]}
            >
              <Space wrap>
                <Typography.Text strong>{en ? c.policyNameEn : c.policyName}</Typography.Text>
                <Tag>{t(`intake.status.${c.status}`)}</Tag>
                <Typography.Text type="secondary">
                  {c.currentStep
                    ? `${en ? c.currentStep.nameEn : c.currentStep.name} · ${t(`intake.office.${c.currentStep.office}`)}`
                    : ''}
                  {c.department
                    ? ` · ${t(`alerts.department.${c.department}`, { defaultValue: c.department })}`
                    : ''}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : null}
    </Card>
  );
}

export function VisitsAwaitingMe() {
  const { t } = useTranslation();
  const loaded = useLoad(() => awaitingMe(), []);
  const visits = loaded.data ?? [];
  if (visits.length === 0) return null;
  return (
    <Card size="small" title={t('intake.visit.awaitingTitle')} data-testid="visits-awaiting-me">
      <List
        size="small"
        dataSource={visits}
        renderItem={(v) => (
          <List.Item>
            <Link to={`/intake/cases/${v.caseId}/visit`}>
              {new Date(v.visitedAt).toLocaleString()} · {v.firstInvestigator.name} ·{' '}
              {v.location.address ?? ''}
            </Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
