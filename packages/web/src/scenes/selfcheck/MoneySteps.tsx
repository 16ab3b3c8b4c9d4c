/** Steps 2 and 3: monthly income by type; yearly spending, housing, vehicles, savings, circumstances. */
import { Card, Checkbox, Form, type FormInstance, InputNumber, type InputNumberProps, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import styles from './selfCheck.module.css';
import type { SelfCheckValues } from './selfCheckRequest';

const INCOME = ['wage', 'business', 'agricultural', 'property', 'remittance', 'pension', 'transfer'] as const;
const SPENDING = ['medical', 'education', 'pensionContribution'] as const;
const SUDDEN = ['none', 'accident', 'illness', 'fire', 'disaster', 'death'] as const;
const CATEGORIES = ['dibao', 'tekun', 'nearDibao', 'expenditureHardship', 'relapseWatch', 'orphan'] as const;
const FLAGS = [
  'publicEmployee',
  'recentHousePurchase',
  'luxuryConsumption',
  'disasterAffected',
  'houseCollapsed',
] as const;

/** A yuan amount; Form.Item hands it value and onChange, which go straight to the input. */
function Money({
  suffix,
  testId,
  max = 1_000_000,
  ...control
}: { suffix: string; testId?: string; max?: number } & InputNumberProps<number>) {
  return (
    <InputNumber<number>
      {...control}
      min={0}
      max={max}
      precision={2}
      inputMode="decimal"
      placeholder="0"
      suffix={suffix}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

export function IncomeStep() {
  const { t } = useTranslation();
  return (
    <Card className={styles.card}>
      <div className={styles.sectionTitle}>{t('selfCheck.income.heading')}</div>
      <div className={styles.hint}>{t('selfCheck.income.hint')}</div>
      {INCOME.map((kind) => (
        <Form.Item key={kind} name={['income', kind]} label={t(`selfCheck.income.${kind}`)}>
          <Money suffix={t('selfCheck.yuanPerMonth')} testId={`self-check-income-${kind}`} />
        </Form.Item>
      ))}
    </Card>
  );
}

export function PropertyStep({ form }: { form: FormInstance<SelfCheckValues> }) {
  const { t } = useTranslation();
  const depositsUnknown = Form.useWatch('depositsUnknown', form);
  const sudden = Form.useWatch('suddenHardship', form);
  const count = (testId: string) => (
    <InputNumber
      min={0}
      max={20}
      precision={0}
      inputMode="numeric"
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
  return (
    <>
      <Card className={styles.card}>
        <div className={styles.sectionTitle}>{t('selfCheck.property.spendingHeading')}</div>
        {SPENDING.map((kind) => (
          <Form.Item key={kind} name={['spending', kind]} label={t(`selfCheck.property.${kind}`)}>
            <Money
              suffix={t('selfCheck.yuanPerYear')}
              max={100_000_000}
              testId={`self-check-spending-${kind}`}
            />
          </Form.Item>
        ))}
      </Card>
      <Card className={styles.card}>
        <div className={styles.sectionTitle}>{t('selfCheck.property.heading')}</div>
        <Form.Item name="housingUnits" label={t('selfCheck.property.housingUnits')}>
          {count('self-check-housing')}
        </Form.Item>
        <Form.Item name="vehicles" label={t('selfCheck.property.vehicles')}>
          {count('self-check-vehicles')}
        </Form.Item>
        <Form.Item name="businesses" label={t('selfCheck.property.businesses')}>
          {count('self-check-businesses')}
        </Form.Item>
        <Form.Item name="depositsYuan" label={t('selfCheck.property.deposits')} style={{ marginBottom: 4 }}>
          <InputNumber
            min={0}
            max={100_000_000}
            precision={2}
            inputMode="decimal"
            placeholder="0"
            suffix={t('selfCheck.yuan')}
            disabled={depositsUnknown}
            style={{ width: '100%' }}
            data-testid="self-check-deposits"
          />
        </Form.Item>
        <Form.Item name="depositsUnknown" valuePropName="checked">
          <Checkbox>{t('selfCheck.property.depositsUnknown')}</Checkbox>
        </Form.Item>
        <Form.Item name="dilapidatedHouse" valuePropName="checked">
          <Checkbox>{t('selfCheck.property.dilapidated')}</Checkbox>
        </Form.Item>
      </Card>
      <Card className={styles.card}>
        <div className={styles.sectionTitle}>{t('selfCheck.property.situationHeading')}</div>
        <div className={styles.checkList}>
          {FLAGS.map((flag) => (
            <Form.Item key={flag} name={flag} valuePropName="checked" style={{ marginBottom: 0 }}>
              <Checkbox>{t(`selfCheck.property.${flag}`)}</Checkbox>
            </Form.Item>
          ))}
        </div>
        <Form.Item
          name="suddenHardship"
          label={t('selfCheck.property.suddenHardship')}
          style={{ marginTop: 16 }}
        >
          <Select options={SUDDEN.map((s) => ({ value: s, label: t(`selfCheck.sudden.${s}`) }))} />
        </Form.Item>
        {sudden && sudden !== 'none' ? (
          <Form.Item name="suddenLossYuan" label={t('selfCheck.property.suddenLoss')}>
            <Money suffix={t('selfCheck.yuan')} max={100_000_000} />
          </Form.Item>
        ) : null}
        <Form.Item name="currentCategories" label={t('selfCheck.property.currentCategories')}>
          <Checkbox.Group className={styles.careGrid}>
            {CATEGORIES.map((c) => (
              <Checkbox key={c} value={c}>
                {t(`selfCheck.categories.${c}`)}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Card>
    </>
  );
}
