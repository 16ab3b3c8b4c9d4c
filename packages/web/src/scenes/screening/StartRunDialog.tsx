/** The dialog that starts a screening run: region (default: the officer's own) and date (default: today). */
import { DatePicker, Form, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../auth/AccountContext';
import { chinaToday } from '../../components/chinaToday';
import { FormDialog } from '../../components/FormDialog';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { type ScreeningRun, startRun } from './screeningApi';

interface Values {
  regionCode?: string;
  onDate?: Dayjs;
}

export function StartRunDialog({
  onClose,
  onStarted,
}: {
  onClose(): void;
  onStarted(run: ScreeningRun): void;
}) {
  const { t } = useTranslation();
  const account = useAccount();
  return (
    <FormDialog<Values, ScreeningRun>
      title={t('screening.startTitle')}
      fields={['regionCode', 'onDate']}
      initialValues={{ regionCode: account.regionCode, onDate: chinaToday() }}
      okText={t('screening.start')}
      successMessage={t('screening.started')}
      onClose={onClose}
      onSave={(values) =>
        startRun({
          ...(values.regionCode ? { regionCode: values.regionCode } : {}),
          ...(values.onDate ? { onDate: values.onDate.format('YYYY-MM-DD') } : {}),
        })
      }
      onSaved={onStarted}
      testId="screening-start-dialog"
    >
      <Typography.Paragraph type="secondary">{t('screening.startHint')}</Typography.Paragraph>
      <Form.Item name="regionCode" label={t('screening.region')}>
        <RegionTreeSelect />
      </Form.Item>
      <Form.Item name="onDate" label={t('screening.onDate')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}
