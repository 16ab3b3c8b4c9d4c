/** The categories of a household with monthly amounts in yuan; end one with a date. */
import { Button, DatePicker, Form, Input, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/FormDialog';
import { type CategoryRecord, endCategory } from './householdsApi';
import { CategoryTag, yuan } from './registryLabels';

interface Props {
  householdId: string;
  categories: CategoryRecord[];
  asOf: string;
  canWrite: boolean;
  onChanged(): void;
}

export function CategoriesTable({ householdId, categories, asOf, canWrite, onChanged }: Props) {
  const { t } = useTranslation();
  const [ending, setEnding] = useState<CategoryRecord | null>(null);
  const current = (c: CategoryRecord) => c.validFrom <= asOf && (!c.validTo || c.validTo >= asOf);
  return (
    <>
      <Table<CategoryRecord>
        rowKey="id"
        size="small"
        dataSource={categories}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="categories-table"
        locale={{ emptyText: t('registry.household.noCategories') }}
        columns={[
          {
            title: t('registry.category.category'),
            dataIndex: 'category',
            render: (_, row) => <CategoryTag category={row.category} />,
          },
          {
            title: t('registry.category.amount'),
            dataIndex: 'monthlyAmountFen',
            align: 'right',
            render: (fen: number) => (fen ? `¥${yuan(fen)}` : '—'),
          },
          { title: t('registry.category.validFrom'), dataIndex: 'validFrom' },
          {
            title: t('registry.category.validTo'),
            dataIndex: 'validTo',
            render: (to: string | null, row) =>
              current(row) ? (
                <Tag color="green">{to ?? t('registry.category.current')}</Tag>
              ) : (
                (to ?? t('registry.category.ongoing'))
              ),
          },
          ...(canWrite
            ? [
                {
                  key: 'end',
                  title: '',
                  render: (_: unknown, row: CategoryRecord) =>
                    row.validTo ? null : (
                      <Button size="small" danger type="link" onClick={() => setEnding(row)}>
                        {t('registry.category.end')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {ending ? (
        <EndDialog
          householdId={householdId}
          record={ending}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}

function EndDialog({
  householdId,
  record,
  onClose,
  onDone,
}: {
  householdId: string;
  record: CategoryRecord;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog<{ validTo: Dayjs; reason: string }>
      title={t('registry.category.endTitle')}
      fields={['validTo', 'reason']}
      okText={t('registry.category.end')}
      danger
      testId="category-end-form"
      onClose={onClose}
      onSaved={onDone}
      onSave={({ validTo, reason }) =>
        endCategory(householdId, record.id, { validTo: validTo.format('YYYY-MM-DD'), reason: reason.trim() })
      }
    >
      <Form.Item
        name="validTo"
        label={t('registry.category.endDate')}
        rules={[{ required: true, message: t('registry.category.endDateRequired') }]}
      >
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('registry.category.endReason')}
        rules={[{ required: true, whitespace: true, message: t('registry.category.endReasonRequired') }]}
      >
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormDialog>
  );
}
