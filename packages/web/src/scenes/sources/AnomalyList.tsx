/** What the anomaly checks found in one import: a list of plain sentences, and a tag for the history table. */
import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SourceImport } from './sourcesApi';

type Anomalies = NonNullable<SourceImport['anomalies']>;

export function useAnomalyLines(): (a: Anomalies) => string[] {
  const { t } = useTranslation();
  return (a) => {
    const lines: string[] = [];
    if (a.futureDates.count > 0)
      lines.push(
        t('sources.anomalies.futureDates', {
          count: a.futureDates.count,
          examples: a.futureDates.examples.join('、'),
        }),
      );
    if (a.negativeAmounts.count > 0)
      lines.push(t('sources.anomalies.negativeAmounts', { count: a.negativeAmounts.count }));
    if (a.duplicateRecordIds.count > 0)
      lines.push(t('sources.anomalies.duplicateRecordIds', { count: a.duplicateRecordIds.count }));
    if (a.snapshotShrink)
      lines.push(
        t('sources.anomalies.snapshotShrink', {
          rows: a.snapshotShrink.rows,
          previousRows: a.snapshotShrink.previousRows,
          previousAsOf: a.snapshotShrink.previousAsOf,
          percent: a.snapshotShrink.percent,
          threshold: a.snapshotShrink.thresholdPercent,
        }),
      );
    return lines;
  };
}

/** Under the result of an upload: every finding on its own line, or "nothing unusual". */
export function AnomalyList({ anomalies }: { anomalies: SourceImport['anomalies'] }) {
  const { t } = useTranslation();
  const linesOf = useAnomalyLines();
  if (!anomalies) return null;
  const lines = linesOf(anomalies);
  return (
    <div data-testid="import-anomalies" style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('sources.anomalies.title')}：</Typography.Text>
      {lines.length === 0 ? (
        <Typography.Text type="success">{t('sources.anomalies.none')}</Typography.Text>
      ) : (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {lines.map((line) => (
            <li key={line}>
              <Typography.Text type="warning">{line}</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** In the history table: how many checks found something, with the sentences on hover. */
export function AnomalyTag({ anomalies }: { anomalies: SourceImport['anomalies'] }) {
  const linesOf = useAnomalyLines();
  if (!anomalies) return <>—</>;
  if (anomalies.flagged === 0) return <Tag color="green">0</Tag>;
  return (
    <Tooltip title={linesOf(anomalies).join('；')}>
      <Tag color="orange" data-testid="anomaly-tag">
        {anomalies.flagged}
      </Tag>
    </Tooltip>
  );
}
