/**
 * The self-check answer as cards: policy, likely amount, why, papers to bring, where to apply and
 * a phone button. Worded as guidance ("可能符合，以审核结果为准"), never as a decision.
 */
import { PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import styles from './selfCheck.module.css';
import { type SelfCheckAnswer, type SelfCheckResult, yuanText } from './selfCheckRequest';

const TAG_COLOR = { likely: 'green', maybe: 'orange', unlikely: 'default' } as const;

function Amount({ result }: { result: SelfCheckResult }) {
  const { t } = useTranslation();
  if (result.amountFen === null || result.amountFen === 0) return null;
  const period =
    result.amountPeriod === 'month'
      ? t('selfCheck.results.perMonth')
      : result.amountPeriod === 'year'
        ? t('selfCheck.results.perYear')
        : t('selfCheck.results.once');
  return (
    <div className={styles.amount} data-testid="self-check-amount">
      {t('selfCheck.results.amount', { amount: yuanText(result.amountFen) })}
      <span style={{ fontSize: 15, fontWeight: 400 }}>{period}</span>
    </div>
  );
}

function Section({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <div className={styles.label}>{title}</div>
      <ul className={styles.list}>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </>
  );
}

function ResultCard({ result }: { result: SelfCheckResult }) {
  const { t, i18n } = useTranslation();
  const name = i18n.language === 'en' ? result.nameEn : result.name;
  return (
    <Card className={styles.result} data-testid={`self-check-result-${result.policyId}`}>
      <div className={styles.resultHead}>
        <div className={styles.policyName}>{name}</div>
        <div
          style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 4, flex: 'none' }}
        >
          <Tag color={TAG_COLOR[result.status]} style={{ marginInlineEnd: 0 }}>
            {t(`selfCheck.results.${result.status}`)}
          </Tag>
          {result.after ? (
            <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="self-check-after">
              {t('selfCheck.results.after', { category: t(`selfCheck.categories.${result.after}`) })}
            </Tag>
          ) : null}
        </div>
      </div>
      <Typography.Text type="secondary">
        {t('selfCheck.results.department', { department: result.department })}
      </Typography.Text>
      <Amount result={result} />
      <Section title={t('selfCheck.results.why')} items={result.why} />
      <Section title={t('selfCheck.results.missing')} items={result.missing} />
      <Section title={t('selfCheck.results.documents')} items={result.documents} />
      <div className={styles.label}>{t('selfCheck.results.where')}</div>
      <div>{result.office}</div>
      {result.timeLimitWorkingDays ? (
        <Typography.Text type="secondary">
          {t('selfCheck.results.timeLimit', { days: result.timeLimitWorkingDays })}
        </Typography.Text>
      ) : null}
      {result.phone ? (
        <Button
          block
          icon={<PhoneOutlined />}
          href={`tel:${result.phone}`}
          className={styles.callButton}
          data-testid="self-check-call"
        >
          {t('selfCheck.results.call', { phone: result.phone })}
        </Button>
      ) : null}
    </Card>
  );
}

export function SelfCheckResults({
  answer,
  onEdit,
  onRestart,
}: {
  answer: SelfCheckAnswer;
  onEdit(): void;
  onRestart(): void;
}) {
  const { t, i18n } = useTranslation();
  const likely = answer.results.filter((r) => r.status === 'likely');
  const maybe = answer.results.filter((r) => r.status === 'maybe');
  const unlikely = answer.results.filter((r) => r.status === 'unlikely');
  const note = t('selfCheck.results.reasonsInChinese');
  return (
    <div data-testid="self-check-results">
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
        {t('selfCheck.results.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('selfCheck.results.region', { region: answer.regionName, date: answer.date })}
        <br />
        {t('selfCheck.results.summary', { likely: likely.length, maybe: maybe.length })}
      </Typography.Paragraph>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={i18n.language === 'en' ? answer.noticeEn : answer.notice}
        description={note || undefined}
        data-testid="self-check-notice"
      />
      {likely.length + maybe.length === 0 ? (
        <Alert type="info" title={t('selfCheck.results.none')} style={{ marginBottom: 12 }} />
      ) : null}
      {[...likely, ...maybe].map((r) => (
        <ResultCard key={r.policyId} result={r} />
      ))}
      {unlikely.length > 0 ? (
        <Collapse
          style={{ marginBottom: 12, background: '#fff' }}
          items={[
            {
              key: 'unlikely',
              label: t('selfCheck.results.unlikelyHeading', { count: unlikely.length }),
              children: (
                <ul className={styles.list}>
                  {unlikely.map((r) => (
                    <li key={r.policyId}>
                      <strong>{i18n.language === 'en' ? r.nameEn : r.name}</strong>
                      {r.why[0] ? `${i18n.language === 'en' ? ': ' : '：'}${r.why[0]}` : ''}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      ) : null}
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Button
          block
          size="large"
          type="primary"
          onClick={onEdit}
          style={{ height: 48 }}
          data-testid="self-check-edit"
        >
          {t('selfCheck.edit')}
        </Button>
        <Button block size="large" onClick={onRestart} style={{ height: 48 }}>
          {t('selfCheck.restart')}
        </Button>
      </Space>
    </div>
  );
}
