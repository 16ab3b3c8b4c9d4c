/**
 * /alerts/households/:id — 一人一条救助链: every alert, step, case, referral, screening, assistance
 * period, enrolment and benefit change (increase, cut, phase-out, stop).
 */
import { Card, Empty, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { ApiErrorPage } from '../errors/ErrorPage';
import { getTimeline } from './alertsApi';

const COLOUR: Record<string, string> = {
  alert: 'red',
  alertStep: 'blue',
  case: 'green',
  referral: 'purple',
  screening: 'cyan',
  assistance: 'gold',
  enrolment: 'green',
  enrolmentChange: 'orange',
};

export default function ChainPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const loaded = useLoad(() => getTimeline(id), [id]);
  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const chain = loaded.data;
  return (
    <Card
      loading={!chain}
      title={`${t('alerts.timeline.title')} · ${chain?.householdNumber ?? ''}`}
      data-testid="household-chain"
    >
      {chain?.entries.length ? (
        <Timeline
          items={chain.entries.map((e) => ({
            color: COLOUR[e.kind] ?? 'gray',
            children: (
              <>
                <Tag>{t(`alerts.timeline.kind.${e.kind}`)}</Tag>
                <Typography.Text type="secondary">{new Date(e.at).toLocaleString()}</Typography.Text>
                <div>
                  {e.titleZh} {e.status ? <Tag>{e.status}</Tag> : null}
                </div>
              </>
            ),
          }))}
        />
      ) : (
        <Empty description={t('alerts.timeline.empty')} />
      )}
    </Card>
  );
}
