/** The dialog that starts a full re-screen: region (default: the officer's own) and data date (default: today). */
import { DatePicker, Form, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../auth/AccountContext';
import { chinaToday } from '../../components/chinaToday';
import { FormDialog } from '../../components/FormDialog';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { type MonitoringRun, startRun } from './monitoringApi';

interface Values {
  regionCode?: string;
  asOf?: Dayjs;
}

export function StartMonitoringDialog({
  onClose,
  onStarted,
}: {
  onClose(): void;
  onStarted(run: MonitoringRun): void;
}) {
  const { t } = useTranslation();
  const account = useAccount();
  return (
    <FormDialog<Values, MonitoringRun>
      title={t('monitoring.startTitle')}
      fields={['regionCode', 'asOf']}
      initialValues={{ regionCode: account.regionCode, asOf: chinaToday() }}
      okText={t('monitoring.start')}
      successMessage={t('monitoring.started')}
      onClose={onClose}
      onSave={(values) =>
        startRun({
          ...(values.regionCode ? { regionCode: values.regionCode } : {}),
          ...(values.asOf ? { asOf: values.asOf.format('YYYY-MM-DD') } : {}),
        })
      }
      onSaved={onStarted}
      testId="monitoring-start-dialog"
    >
      <Typography.Paragraph type="secondary">{t('monitoring.startHint')}</Typography.Paragraph>
      <Form.Item name="regionCode" label={t('monitoring.region')}>
        <RegionTreeSelect />
      </Form.Item>
      <Form.Item name="asOf" label={t('monitoring.asOf')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}
