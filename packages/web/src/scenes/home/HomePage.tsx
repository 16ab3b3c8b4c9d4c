/** The workbench home: who you are, where you work, and what your region holds. Only real data. */
import { Card, Col, Descriptions, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccount } from '../../auth/AccountContext';
import { departmentName, levelCountName, roleName } from '../../components/labels';
import { ApiErrorPage } from '../errors/ErrorPage';
import { VillagesChart } from './VillagesChart';

function greetingKey(hour: number): string {
  if (hour < 12) return 'home.greetingMorning';
  if (hour < 18) return 'home.greetingAfternoon';
  return 'home.greetingEvening';
}

export default function HomePage() {
  const { t } = useTranslation();
  const account = useAccount();
  const region = useLoad(
    () => call(api.GET('/api/regions/{code}', { params: { path: { code: account.regionCode } } })),
    [account.regionCode],
  );
  const detail = region.data;
  const levels = Object.entries(detail?.countsByLevel ?? {})
    .map(([level, count]) => ({ level: Number(level), count }))
    .filter((entry) => entry.level > (detail?.region.level ?? 0))
    .sort((a, b) => a.level - b.level);
  const chartRows = useMemo(
    () =>
      (region.data?.children ?? [])
        .filter((child) => child.childCount > 0)
        .map((child) => ({ name: child.name, count: child.childCount })),
    [region.data],
  );
  // For a township, "41 villages" says less than how many are urban communities and how many rural.
  const children = detail?.children ?? [];
  const urbanSplit =
    children.length > 0 && children.every((c) => c.urban !== null && c.childCount === 0)
      ? { urban: children.filter((c) => c.urban).length, rural: children.filter((c) => !c.urban).length }
      : null;
  if (region.error) return <ApiErrorPage error={region.error} />;

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="greeting">
        {t(greetingKey(new Date().getHours()), { name: account.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('home.intro', { region: account.regionName })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('home.account')} style={{ height: '100%' }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                {
                  key: 'displayName',
                  label: t('account.displayName'),
                  children: account.displayName,
                },
                {
                  key: 'username',
                  label: t('account.username'),
                  children: account.username,
                },
                {
                  key: 'role',
                  label: t('account.role'),
                  children: roleName(t, account.role),
                },
                ...(account.department
                  ? [
                      {
                        key: 'department',
                        label: t('account.department'),
                        children: departmentName(t, account.department),
                      },
                    ]
                  : []),
                { key: 'region', label: t('account.region'), children: account.regionName },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            title={t('home.region')}
            loading={region.loading && !detail}
            style={{ height: '100%' }}
            extra={<Link to={`/regions/${account.regionCode}`}>{t('home.openRegion')}</Link>}
          >
            <Typography.Paragraph strong data-testid="home-region">
              {detail?.ancestors
                .filter((a) => a.level > 0)
                .map((a) => a.name)
                .join(' / ')}
            </Typography.Paragraph>
            {levels.length === 0 ? (
              <Typography.Text type="secondary">{t('home.noChildren')}</Typography.Text>
            ) : (
              <Row gutter={[16, 16]}>
                {levels.map((entry) => (
                  <Col key={entry.level} xs={12} sm={8}>
                    <Statistic title={levelCountName(t, entry.level)} value={entry.count} />
                  </Col>
                ))}
                {urbanSplit ? (
                  <>
                    <Col xs={12} sm={8}>
                      <Statistic title={t('home.urbanChildren')} value={urbanSplit.urban} />
                    </Col>
                    <Col xs={12} sm={8}>
                      <Statistic title={t('home.ruralChildren')} value={urbanSplit.rural} />
                    </Col>
                  </>
                ) : null}
              </Row>
            )}
          </Card>
        </Col>
        {chartRows.length > 1 ? (
          <Col span={24}>
            <Card title={t('home.chartTitle')}>
              <VillagesChart rows={chartRows} />
            </Card>
          </Col>
        ) : null}
      </Row>
    </div>
  );
}
