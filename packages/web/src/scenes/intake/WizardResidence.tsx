/**
 * Apply where you live (居住地申办) at the window: the applicant's ID number, the village of this
 * township where they live and their resident permit find the household registered elsewhere. The
 * server answers where it is registered and whether this region takes such applications; nothing else
 * of the household is shown (it is read only once the application exists).
 */
import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorText } from '../../api/client';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { showFieldError } from '../../components/serverErrors';
import type { ChosenHousehold } from './WizardHousehold';

interface Values {
  idNumber: string;
  regionCode: string;
  permitNumber: string;
}

type Found = Awaited<ReturnType<typeof lookup>>;
const lookup = (body: { idNumber: string; regionCode: string }) =>
  call(api.POST('/api/intake/residence-lookup', { body }));

export function WizardResidence({ onChoose }: { onChoose(h: ChosenHousehold): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [found, setFound] = useState<Found>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function find(values: Values) {
    setBusy(true);
    setError(undefined);
    setFound(undefined);
    try {
      setFound(await lookup({ idNumber: values.idNumber.trim(), regionCode: values.regionCode }));
    } catch (e) {
      if (!showFieldError(form, e, ['idNumber', 'regionCode'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const use = () => {
    if (!found) return;
    const values = form.getFieldsValue();
    const hukou = `${found.hukouTownshipName ?? ''}${found.hukouVillageName ?? ''}`;
    onChoose({
      id: found.householdId,
      householdNumber: found.householdNumber,
      headName: null,
      regionName: t('intake.wizard.residence.chosen', { hukou }),
      residence: { regionCode: values.regionCode, permitNumber: values.permitNumber.trim() },
    });
  };

  return (
    <Card size="small" style={{ maxWidth: 640 }} data-testid="residence-lookup">
      <Alert type="info" showIcon title={t('intake.wizard.residence.hint')} style={{ marginBottom: 12 }} />
      <Form<Values> form={form} layout="vertical" onFinish={find}>
        <Form.Item
          name="idNumber"
          label={t('intake.wizard.residence.idNumber')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('intake.wizard.residence.village')}
          rules={[{ required: true }]}
        >
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item
          name="permitNumber"
          label={t('intake.wizard.residence.permitNumber')}
          rules={[{ required: true, pattern: /^[0-9A-Za-z-]{6,30}$/ }]}
        >
          <Input maxLength={30} autoComplete="off" />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          {t('intake.wizard.residence.lookup')}
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} /> : null}
      {found ? (
        <Space orientation="vertical" style={{ marginTop: 12, width: '100%' }}>
          <Alert
            type={found.allowed ? 'success' : 'warning'}
            showIcon
            title={t('intake.wizard.residence.found', {
              township: found.hukouTownshipName ?? '',
              village: found.hukouVillageName ?? '',
              number: found.householdNumber,
            })}
            description={
              found.registeredHere
                ? t('intake.wizard.residence.registeredHere')
                : found.allowed
                  ? undefined
                  : t('intake.wizard.residence.notAllowed')
            }
          />
          <Button type="primary" disabled={!found.allowed} onClick={use} data-testid="residence-use">
            {t('intake.wizard.residence.use')}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}
