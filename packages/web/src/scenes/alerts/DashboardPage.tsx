/**
 * /alerts/dashboard — 预警看板: totals, overdue and escalated counts, alerts by colour, status, lead
 * department and township, handling escalations (超期上报) by township and level, outcomes, the
 * monthly trend; the same figures as an Excel download.
 */
import { Button, Card, Col, Empty, Row, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { ApiErrorPage } from '../errors/ErrorPage';
import { ColourPie, CountBars, EscalationBars, MonthlyTrend } from './AlertCharts';
import { COLOUR_HEX, dashboardXlsxUrl, getDashboard } from './alertsApi';

export default function DashboardPage() {
  const { t } = useTranslation();
  const loaded = useLoad(() => getDashboard(), []);
  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const d = loaded.data;
  if (!d) return <Card loading />;
  const named = (rows: { key: string; nameZh: string; count: number }[], prefix: string) =>
    rows.map((r) => ({
      key: r.key,
      count: r.count,
      name: t(`${prefix}.${r.key}`, { defaultValue: r.nameZh }),
    }));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="alert-dashboard">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('alerts.board.title')}
        </Typography.Title>
        <Button href={dashboardXlsxUrl()} data-testid="export-xlsx">
          {t('alerts.board.export')}
        </Button>
      </Space>
      <Row gutter={[16, 16]}>
        {(['total', 'open', 'overdueAccept', 'overdueHandle', 'escalated', 'handleEscalated'] as const).map(
          (k) => (
            <Col xs={12} md={8} lg={4} key={k}>
              <Card size="small">
                <Statistic
                  title={t(`alerts.board.${k}`)}
                  value={d[k]}
                  valueStyle={
                    (k.startsWith('overdue') || k === 'handleEscalated') && d[k] > 0
                      ? { color: '#cf1322' }
                      : undefined
                  }
                />
              </Card>
            </Col>
          ),
        )}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('alerts.board.byColour')}>
            <ColourPie rows={named(d.byColour, 'alerts.colour')} colours={COLOUR_HEX} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('alerts.board.byStatus')}>
            <CountBars testId="by-status" rows={named(d.byStatus, 'alerts.status')} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('alerts.board.outcomes')}>
            <CountBars testId="outcomes" rows={named(d.outcomes, 'alerts.outcome')} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.board.byDepartment')}>
            <CountBars testId="by-department" rows={named(d.byDepartment, 'alerts.department')} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('alerts.board.byTownship')}>
            <CountBars
              testId="by-township"
              rows={d.byTownship.map((r) => ({ key: r.key, name: r.nameZh, count: r.count }))}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={t('alerts.board.handlingEscalations')}
            extra={
              d.handleEscalated > 0 ? (
                <Typography.Text type="danger">
                  {t('alerts.board.stillOpen', { n: d.handleEscalated })}
                </Typography.Text>
              ) : null
            }
          >
            {d.handlingEscalations.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('alerts.board.handlingEscalationsEmpty')}
              />
            ) : (
              <EscalationBars
                rows={d.handlingEscalations.map((r) => ({
                  township: r.nameZh,
                  level: r.level,
                  count: r.count,
                }))}
                levelNames={{
                  1: t('alerts.board.level.1'),
                  2: t('alerts.board.level.2'),
                  3: t('alerts.board.level.3'),
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('alerts.board.monthly')}>
            <MonthlyTrend
              rows={d.monthly}
              raisedName={t('alerts.board.raised')}
              closedName={t('alerts.board.closed')}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
