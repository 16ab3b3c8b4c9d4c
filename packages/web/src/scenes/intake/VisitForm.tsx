/**
 * The fields of the home-visit form, laid out for a phone held in one hand: one column, large
 * inputs, money typed in yuan. The location is the phone's position only after the investigator
 * presses the button (the browser then asks the household's consent... and the investigator's);
 * refused or unavailable, an address typed by hand does.
 */
import {
  Button,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Select,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HomeVisit } from './intakeApi';
import { COUNT_FIELDS, INCOME_FIELDS, STRUCTURES, type VisitValues } from './visitDraft';

const wide = { width: '100%' };

export function VisitForm({ form, disabled }: { form: FormInstance<VisitValues>; disabled: boolean }) {
  const { t } = useTranslation();
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState<string>();
  const source = Form.useWatch('locationSource', form);
  const latitude = Form.useWatch('latitude', form);
  const longitude = Form.useWatch('longitude', form);
  const accuracy = Form.useWatch('accuracyM', form);

  function locate() {
    setLocateError(undefined);
    if (!('geolocation' in navigator)) {
      setLocateError(t('intake.visit.noGeolocation'));
      form.setFieldValue('locationSource', 'manual');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        form.setFieldsValue({
          locationSource: 'device',
          latitude: Number(position.coords.latitude.toFixed(6)),
          longitude: Number(position.coords.longitude.toFixed(6)),
          accuracyM: Math.round(position.coords.accuracy),
        });
      },
      (error) => {
        setLocating(false);
        setLocateError(
          error.code === error.PERMISSION_DENIED
            ? t('intake.visit.locateDenied')
            : t('intake.visit.locateFailed'),
        );
        form.setFieldValue('locationSource', 'manual');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  return (
    <>
      <Typography.Title level={5}>{t('intake.visit.whenWhere')}</Typography.Title>
      <Form.Item name="visitedAt" label={t('intake.visit.visitedAt')} rules={[{ required: true }]}>
        <Input type="datetime-local" disabled={disabled} data-testid="visited-at" />
      </Form.Item>
      <Form.Item name="locationSource" label={t('intake.visit.location')}>
        <Radio.Group
          disabled={disabled}
          options={[
            { value: 'device', label: t('intake.visit.sourceDevice') },
            { value: 'manual', label: t('intake.visit.sourceManual') },
          ]}
        />
      </Form.Item>
      {source === 'device' ? (
        <Form.Item extra={t('intake.visit.consent')}>
          <Button onClick={locate} loading={locating} disabled={disabled} block data-testid="locate">
            {t('intake.visit.locate')}
          </Button>
          {typeof latitude === 'number' && typeof longitude === 'number' ? (
            <Typography.Text data-testid="position">
              {t('intake.visit.position', { lat: latitude, lon: longitude, accuracy: accuracy ?? '—' })}
            </Typography.Text>
          ) : null}
          {locateError ? <Typography.Text type="danger">{locateError}</Typography.Text> : null}
        </Form.Item>
      ) : null}
      <Form.Item name="latitude" hidden>
        <InputNumber />
      </Form.Item>
      <Form.Item name="longitude" hidden>
        <InputNumber />
      </Form.Item>
      <Form.Item name="accuracyM" hidden>
        <InputNumber />
      </Form.Item>
      <Form.Item
        name="address"
        label={t('intake.visit.address')}
        rules={[
          { required: source === 'manual', whitespace: true, message: t('intake.visit.addressRequired') },
        ]}
      >
        <Input maxLength={200} disabled={disabled} data-testid="address" />
      </Form.Item>
      <Form.Item
        name="secondInvestigator"
        label={t('intake.visit.second')}
        extra={t('intake.visit.secondHint')}
        rules={[{ required: true, whitespace: true, message: t('intake.visit.secondRequired') }]}
      >
        <Input
          autoCapitalize="none"
          autoCorrect="off"
          disabled={disabled}
          data-testid="second-investigator"
        />
      </Form.Item>

      <Typography.Title level={5}>{t('intake.visit.incomeTitle')}</Typography.Title>
      {INCOME_FIELDS.map((f) => (
        <Form.Item key={f} name={`${f}Yuan`} label={t(`intake.visit.figure.${f}`)}>
          <InputNumber
            min={0}
            max={1_000_000}
            precision={2}
            inputMode="decimal"
            suffix={t('intake.visit.yuanPerMonth')}
            style={wide}
            disabled={disabled}
            data-testid={`figure-${f}`}
          />
        </Form.Item>
      ))}
      <Typography.Title level={5}>{t('intake.visit.assetsTitle')}</Typography.Title>
      <Form.Item name="financialAssetsYuan" label={t('intake.visit.figure.financialAssets')}>
        <InputNumber
          min={0}
          max={10_000_000_000}
          precision={2}
          inputMode="decimal"
          suffix={t('intake.visit.yuan')}
          style={wide}
          disabled={disabled}
          data-testid="figure-financialAssets"
        />
      </Form.Item>
      {COUNT_FIELDS.map((f) => (
        <Form.Item key={f} name={f} label={t(`intake.visit.figure.${f}`)}>
          <InputNumber min={0} max={100} precision={0} inputMode="numeric" style={wide} disabled={disabled} />
        </Form.Item>
      ))}
      <Typography.Title level={5}>{t('intake.visit.livingTitle')}</Typography.Title>
      <Form.Item name="housingStructure" label={t('intake.visit.structure')}>
        <Select
          allowClear
          disabled={disabled}
          options={STRUCTURES.map((s) => ({ value: s, label: t(`intake.visit.structures.${s}`) }))}
        />
      </Form.Item>
      <Form.Item name="floorAreaM2" label={t('intake.visit.floorArea')}>
        <InputNumber min={0} max={5000} precision={0} inputMode="numeric" style={wide} disabled={disabled} />
      </Form.Item>
      <Form.Item name="dilapidatedHouse" label={t('intake.visit.dilapidated')} valuePropName="checked">
        <Switch disabled={disabled} />
      </Form.Item>
      <Form.Item name="appliances" label={t('intake.visit.appliances')}>
        <Input maxLength={200} disabled={disabled} />
      </Form.Item>
      <Form.Item name="condition" label={t('intake.visit.condition')}>
        <Input.TextArea rows={3} maxLength={500} disabled={disabled} data-testid="condition" />
      </Form.Item>
      <Form.Item name="note" label={t('intake.visit.note')}>
        <Input.TextArea rows={2} maxLength={1000} disabled={disabled} />
      </Form.Item>
    </>
  );
}

/** What a saved visit says, read-only and short: what the second investigator checks before confirming. */
export function VisitSummary({ visit }: { visit: HomeVisit }) {
  const { t } = useTranslation();
  const f = visit.figures as Record<string, number>;
  const l = visit.living as Record<string, unknown>;
  const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  const rows: { label: string; value: string }[] = [
    { label: t('intake.visit.visitedAt'), value: new Date(visit.visitedAt).toLocaleString() },
    {
      label: t('intake.visit.location'),
      value: [
        visit.location.address,
        visit.location.latitude !== null
          ? t('intake.visit.position', {
              lat: visit.location.latitude,
              lon: visit.location.longitude,
              accuracy: visit.location.accuracyM ?? '—',
            })
          : null,
      ]
        .filter(Boolean)
        .join(' · '),
    },
    ...INCOME_FIELDS.filter((n) => typeof f[n] === 'number').map((n) => ({
      label: t(`intake.visit.figure.${n}`),
      value: `${yuan(f[n] as number)} ${t('intake.visit.yuanPerMonth')}`,
    })),
    ...(typeof f.financialAssets === 'number'
      ? [
          {
            label: t('intake.visit.figure.financialAssets'),
            value: `${yuan(f.financialAssets)} ${t('intake.visit.yuan')}`,
          },
        ]
      : []),
    ...COUNT_FIELDS.filter((n) => typeof f[n] === 'number').map((n) => ({
      label: t(`intake.visit.figure.${n}`),
      value: String(f[n]),
    })),
    ...(typeof l.housingStructure === 'string'
      ? [{ label: t('intake.visit.structure'), value: t(`intake.visit.structures.${l.housingStructure}`) }]
      : []),
    ...(typeof l.floorAreaM2 === 'number'
      ? [{ label: t('intake.visit.floorArea'), value: String(l.floorAreaM2) }]
      : []),
    ...(l.dilapidatedHouse === true ? [{ label: t('intake.visit.dilapidated'), value: '✓' }] : []),
    ...(typeof l.appliances === 'string'
      ? [{ label: t('intake.visit.appliances'), value: l.appliances }]
      : []),
    ...(typeof l.condition === 'string' ? [{ label: t('intake.visit.condition'), value: l.condition }] : []),
    ...(visit.note ? [{ label: t('intake.visit.note'), value: visit.note }] : []),
  ];
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="visit-summary"
      items={rows.map((r, i) => ({ key: i, label: r.label, children: r.value }))}
    />
  );
}
