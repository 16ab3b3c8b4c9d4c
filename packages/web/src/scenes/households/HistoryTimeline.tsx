/**
 * Attribute and category changes of a household or person, newest first, as an antd Timeline.
 * Attribute changes of one person on one day are one item: an import records a dozen at once.
 */
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Category, HistoryEntry } from './householdsApi';
import { attributeKindName, attributeText, CATEGORY_COLORS, yuan } from './registryLabels';

interface Item {
  key: string;
  date: string;
  personName: string | null;
  category?: HistoryEntry;
  attributes: HistoryEntry[];
}

function group(entries: HistoryEntry[]): Item[] {
  const items = new Map<string, Item>();
  for (const entry of entries) {
    const isCategory = entry.type === 'category';
    const key = isCategory
      ? `c-${entry.id ?? `${entry.kind}-${entry.validFrom}`}`
      : `a-${entry.validFrom}-${entry.personId ?? ''}`;
    const item = items.get(key) ?? {
      key,
      date: entry.validFrom,
      personName: entry.personName ?? null,
      attributes: [],
    };
    if (isCategory) item.category = entry;
    else item.attributes.push(entry);
    items.set(key, item);
  }
  return [...items.values()].sort((a, b) => b.date.localeCompare(a.date));
}

function attributeLine(t: TFunction, entry: HistoryEntry): string {
  const until = entry.validTo ? ` (~${entry.validTo})` : '';
  return `${attributeKindName(t, entry.kind)}${t('registry.colon')}${attributeText(t, entry.kind, entry.value)}${until}`;
}

export function HistoryTimeline({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Empty description={t('registry.household.noHistory')} />;
  return (
    <Timeline
      data-testid="history-timeline"
      items={group(entries).map((item) => {
        const category = item.category;
        const kind = category?.kind as Category | undefined;
        const amount =
          category && typeof category.value === 'number' && category.value > 0 ? category.value : 0;
        return {
          key: item.key,
          color: kind ? 'red' : 'blue',
          content: (
            <Space orientation="vertical" size={0}>
              <Typography.Text type="secondary">
                {item.date}
                {item.personName ? ` · ${item.personName}` : ''}
              </Typography.Text>
              {kind && category ? (
                <span>
                  <Tag color={CATEGORY_COLORS[kind]}>
                    {t(`registry.categories.${kind}`, { defaultValue: kind })}
                  </Tag>
                  {`~ ${category.validTo ?? t('registry.category.ongoing')}`}
                  {amount ? ` · ¥${yuan(amount)}` : ''}
                </span>
              ) : (
                <span>
                  {item.attributes.map((a) => attributeLine(t, a)).join(t('registry.listSeparator'))}
                </span>
              )}
            </Space>
          ),
        };
      })}
    />
  );
}
