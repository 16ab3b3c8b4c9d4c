/**
 * The dialog that starts a batch re-verification: all enrolled households of a region, or a chosen
 * list of household numbers (typed, pasted or read from a .txt/.csv file in the browser).
 */
import { UploadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Radio, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../auth/AccountContext';
import { chinaToday } from '../../components/chinaToday';
import { FormDialog } from '../../components/FormDialog';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { type BatchRun, parseNumbers, startBatchRun } from './batchApi';

interface Values {
  scope: 'all' | 'list';
  regionCode?: string;
  asOf?: Dayjs;
  householdNumbers?: string;
}

export function StartBatchDialog({
  onClose,
  onStarted,
}: {
  onClose(): void;
  onStarted(run: BatchRun): void;
}) {
  const { t } = useTranslation();
  const account = useAccount();
  return (
    <FormDialog<Values, BatchRun>
      title={t('verificationBatch.startTitle')}
      fields={['regionCode', 'asOf', 'householdNumbers']}
      initialValues={{ scope: 'all', regionCode: account.regionCode, asOf: chinaToday() }}
      okText={t('verificationBatch.start')}
      successMessage={t('verificationBatch.started')}
      onClose={onClose}
      onSave={(values) =>
        startBatchRun({
          ...(values.regionCode ? { regionCode: values.regionCode } : {}),
          ...(values.asOf ? { asOf: values.asOf.format('YYYY-MM-DD') } : {}),
          ...(values.scope === 'list'
            ? { householdNumbers: parseNumbers(values.householdNumbers ?? '') }
            : {}),
        })
      }
      onSaved={onStarted}
      testId="batch-start-dialog"
    >
      {(form) => (
        <>
          <Form.Item name="scope" label={t('verificationBatch.scope')}>
            <Radio.Group
              options={[
                { value: 'all', label: t('verificationBatch.scopeAll') },
                { value: 'list', label: t('verificationBatch.scopeList') },
              ]}
              data-testid="batch-scope"
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('verificationBatch.region')}>
            <RegionTreeSelect />
          </Form.Item>
          <Form.Item name="asOf" label={t('verificationBatch.asOf')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            noStyle
            shouldUpdate={(a, b) => a.scope !== b.scope || a.householdNumbers !== b.householdNumbers}
          >
            {() =>
              form.getFieldValue('scope') === 'list' ? (
                <>
                  <Form.Item
                    name="householdNumbers"
                    label={t('verificationBatch.numbers')}
                    extra={`${t('verificationBatch.numbersHint')} ${t('verificationBatch.numbersCount', {
                      count: parseNumbers(form.getFieldValue('householdNumbers') ?? '').length,
                    })}`}
                    rules={[{ required: true, message: t('verificationBatch.numbersRequired') }]}
                  >
                    <Input.TextArea rows={5} data-testid="batch-numbers" />
                  </Form.Item>
                  <Upload
                    accept=".txt,.csv"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void file.text().then((text) => {
                        // First column of each line (a CSV may carry more columns).
                        const firstColumn = text
                          .split(/\r?\n/)
                          .map((line) => line.split(/[,，\t]/)[0] ?? '')
                          .join('\n');
                        form.setFieldValue('householdNumbers', parseNumbers(firstColumn).join('\n'));
                      });
                      return false;
                    }}
                  >
                    <Button icon={<UploadOutlined />} size="small">
                      {t('verificationBatch.upload')}
                    </Button>
                  </Upload>
                  <Typography.Paragraph />
                </>
              ) : null
            }
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
