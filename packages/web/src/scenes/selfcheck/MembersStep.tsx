/** Step 1: where the household lives, and who is in it (no names: relationship, age, health…). */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, type FormInstance, InputNumber, Radio, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import styles from './selfCheck.module.css';
import { newMember, type PublicRegion, type SelfCheckValues } from './selfCheckRequest';

const RELATIONSHIPS = [
  'self',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'other',
] as const;
const HEALTH = ['healthy', 'chronicIllness', 'seriousIllness'] as const;
const GRADES = [0, 1, 2, 3, 4] as const;
const DISABILITY_TYPES = [
  'physical',
  'visual',
  'hearing',
  'speech',
  'intellectual',
  'mental',
  'multiple',
] as const;
const WORK = ['full', 'partial', 'none'] as const;
const EMPLOYMENT = [
  'farming',
  'localEmployee',
  'migrantWorker',
  'selfEmployed',
  'casualWork',
  'unemployed',
  'retired',
  'inSchool',
  'notWorking',
] as const;
const SCHOOLING = ['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college'] as const;
const PARENTS = ['none', 'bothDeceased', 'oneDeceasedOtherUnable', 'bothUnable'] as const;
const CARE = ['eating', 'dressing', 'bedTransfer', 'toilet', 'walkingIndoors', 'bathing'] as const;

type SelfCheckForm = FormInstance<SelfCheckValues>;

const children = (code: string | undefined) =>
  code
    ? call(api.GET('/api/public/regions/{code}/children', { params: { path: { code } } }))
    : Promise.resolve([] as PublicRegion[]);

function AddressSection({ form }: { form: SelfCheckForm }) {
  const { t } = useTranslation();
  const county = Form.useWatch('county', form);
  const township = Form.useWatch('township', form);
  const counties = useLoad(() => call(api.GET('/api/public/regions')), []);
  const townships = useLoad(() => children(county), [county]);
  const villages = useLoad(() => children(township), [township]);

  // Most deployments serve one county: choose it for the resident.
  useEffect(() => {
    const only = counties.data?.length === 1 ? counties.data[0] : undefined;
    if (only && !form.getFieldValue('county')) form.setFieldValue('county', only.code);
  }, [counties.data, form]);

  const options = (rows: PublicRegion[] | undefined) =>
    (rows ?? []).map((r) => ({ value: r.code, label: r.name }));
  return (
    <Card className={styles.card}>
      <div className={styles.sectionTitle}>{t('selfCheck.address.heading')}</div>
      <Form.Item
        name="county"
        label={t('selfCheck.address.county')}
        hidden={(counties.data?.length ?? 0) <= 1}
      >
        <Select
          options={options(counties.data)}
          onChange={() => form.setFieldsValue({ township: undefined, village: undefined })}
        />
      </Form.Item>
      <Form.Item
        name="township"
        label={t('selfCheck.address.township')}
        rules={[{ required: true, message: t('selfCheck.address.townshipRequired') }]}
      >
        <Select
          options={options(townships.data)}
          loading={townships.loading}
          showSearch={{ optionFilterProp: 'label' }}
          data-testid="self-check-township"
          onChange={() => form.setFieldValue('village', undefined)}
        />
      </Form.Item>
      <Form.Item name="village" label={t('selfCheck.address.village')}>
        <Select
          options={options(villages.data)}
          loading={villages.loading}
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          data-testid="self-check-village"
          onChange={(code: string | undefined) => {
            const urban = villages.data?.find((v) => v.code === code)?.urban;
            if (typeof urban === 'boolean') form.setFieldValue('urban', urban);
          }}
        />
      </Form.Item>
      <Form.Item
        name="urban"
        label={t('selfCheck.address.urban')}
        rules={[{ required: true, message: t('selfCheck.required') }]}
      >
        <Radio.Group optionType="button" buttonStyle="solid" className={styles.choices}>
          <Radio.Button value={false}>{t('selfCheck.address.rural')}</Radio.Button>
          <Radio.Button value={true}>{t('selfCheck.address.urbanOption')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
    </Card>
  );
}

function MemberCard({
  form,
  name,
  index,
  onRemove,
}: {
  form: SelfCheckForm;
  name: number;
  index: number;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const member = Form.useWatch(['members', name], form);
  const adult = (member?.age ?? 0) >= 16;
  const field = (key: string) => [name, key];
  const choice = (key: string, values: readonly string[], prefix: string) => (
    <Form.Item name={field(key)} label={t(`selfCheck.member.${prefix}`)}>
      <Radio.Group optionType="button" buttonStyle="solid" className={styles.choices}>
        {values.map((v) => (
          <Radio.Button key={v} value={v}>
            {t(`selfCheck.${key}.${v}`)}
          </Radio.Button>
        ))}
      </Radio.Group>
    </Form.Item>
  );
  return (
    <Card
      className={styles.card}
      data-testid={`self-check-member-${index}`}
      title={t('selfCheck.member.title', { n: index + 1 })}
      extra={
        onRemove ? (
          <Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove}>
            {t('selfCheck.member.remove')}
          </Button>
        ) : null
      }
    >
      <div className={styles.row2}>
        <Form.Item name={field('relationship')} label={t('selfCheck.member.relationship')}>
          <Select
            options={RELATIONSHIPS.map((r) => ({ value: r, label: t(`selfCheck.relationship.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name={field('age')}
          label={t('selfCheck.member.age')}
          rules={[{ required: true, message: t('selfCheck.member.ageRequired') }]}
        >
          <InputNumber
            min={0}
            max={120}
            precision={0}
            inputMode="numeric"
            style={{ width: '100%' }}
            data-testid={`self-check-age-${index}`}
          />
        </Form.Item>
      </div>
      <Form.Item name={field('sex')} label={t('selfCheck.member.sex')}>
        <Radio.Group optionType="button" buttonStyle="solid" className={styles.choices}>
          <Radio.Button value="male">{t('selfCheck.sex.male')}</Radio.Button>
          <Radio.Button value="female">{t('selfCheck.sex.female')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {choice('health', HEALTH, 'health')}
      <div className={styles.row2}>
        <Form.Item name={field('disabilityGrade')} label={t('selfCheck.member.disability')}>
          <Select options={GRADES.map((g) => ({ value: g, label: t(`selfCheck.disabilityGrade.${g}`) }))} />
        </Form.Item>
        {member?.disabilityGrade ? (
          <Form.Item name={field('disabilityType')} label={t('selfCheck.member.disabilityType')}>
            <Select
              options={DISABILITY_TYPES.map((d) => ({ value: d, label: t(`selfCheck.disabilityType.${d}`) }))}
            />
          </Form.Item>
        ) : null}
      </div>
      {adult ? choice('workCapacity', WORK, 'workCapacity') : null}
      <div className={styles.row2}>
        {adult ? (
          <Form.Item
            name={field('employment')}
            label={t('selfCheck.member.employment')}
            rules={[{ required: true, message: t('selfCheck.required') }]}
          >
            <Select options={EMPLOYMENT.map((e) => ({ value: e, label: t(`selfCheck.employment.${e}`) }))} />
          </Form.Item>
        ) : null}
        <Form.Item name={field('schoolingStage')} label={t('selfCheck.member.schooling')}>
          <Select options={SCHOOLING.map((s) => ({ value: s, label: t(`selfCheck.schooling.${s}`) }))} />
        </Form.Item>
      </div>
      {!adult && member?.age !== undefined && member?.age !== null ? (
        <Form.Item name={field('parentsSituation')} label={t('selfCheck.member.parents')}>
          <Select options={PARENTS.map((p) => ({ value: p, label: t(`selfCheck.parents.${p}`) }))} />
        </Form.Item>
      ) : null}
      <Form.Item name={field('careNeeds')} label={t('selfCheck.member.careNeeds')}>
        <Checkbox.Group className={styles.careGrid} disabled={member?.careUnknown}>
          {CARE.map((c) => (
            <Checkbox key={c} value={c}>
              {t(`selfCheck.care.${c}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name={field('careUnknown')} valuePropName="checked" style={{ marginTop: -12 }}>
        <Checkbox>{t('selfCheck.member.careUnknown')}</Checkbox>
      </Form.Item>
      {index > 0 ? (
        <Form.Item
          name={field('livesApart')}
          label={t('selfCheck.member.livesApart')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
      ) : null}
      {member?.livesApart ? (
        <Form.Item name={field('monthlyIncomeYuan')} label={t('selfCheck.member.apartIncome')}>
          <InputNumber
            min={0}
            max={1_000_000}
            precision={2}
            inputMode="decimal"
            suffix={t('selfCheck.yuanPerMonth')}
            style={{ width: '100%' }}
          />
        </Form.Item>
      ) : (
        <Form.Item name={field('hospitalCostYuanPerYear')} label={t('selfCheck.member.hospital')}>
          <InputNumber
            min={0}
            max={100_000_000}
            precision={2}
            inputMode="decimal"
            suffix={t('selfCheck.yuan')}
            style={{ width: '100%' }}
          />
        </Form.Item>
      )}
    </Card>
  );
}

export function MembersStep({ form }: { form: SelfCheckForm }) {
  const { t } = useTranslation();
  return (
    <>
      <AddressSection form={form} />
      <div className={styles.sectionTitle}>{t('selfCheck.member.heading')}</div>
      <div className={styles.hint}>{t('selfCheck.member.hint')}</div>
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <MemberCard
                key={f.key}
                form={form}
                name={f.name}
                index={i}
                onRemove={fields.length > 1 ? () => remove(f.name) : undefined}
              />
            ))}
            {fields.length < 15 ? (
              <Button
                block
                icon={<PlusOutlined />}
                onClick={() => add(newMember('spouse'))}
                style={{ height: 48 }}
                data-testid="self-check-add-member"
              >
                {t('selfCheck.member.add')}
              </Button>
            ) : null}
          </>
        )}
      </Form.List>
    </>
  );
}
