/** A unified line diff (hunks from the server's `diff` library): removed red, added green. */
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import styles from './policies.module.css';
import type { Diff } from './policiesApi';

type Hunk = Diff['hunks'][number];

export function DiffView({ hunks, testId }: { hunks: Hunk[]; testId?: string }) {
  const { t } = useTranslation();
  if (hunks.length === 0) return <Empty description={t('policies.diff.none')} />;
  return (
    <pre className={styles.diff} data-testid={testId}>
      {hunks.map((h) => (
        <div key={`${h.oldStart}-${h.newStart}`}>
          <div
            className={styles.hunk}
          >{`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`}</div>
          {h.lines.map((line, i) => (
            <div
              // Lines repeat (blank lines), so position is the only stable key.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              className={line[0] === '+' ? styles.added : line[0] === '-' ? styles.removed : styles.line}
            >
              {line || ' '}
            </div>
          ))}
        </div>
      ))}
    </pre>
  );
}
