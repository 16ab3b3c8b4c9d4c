/** Form fields of a person (name, sex, birth date, ID number, phone, relationship), shared by every form. */

import { DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { afterChinaToday } from '../../components/chinaToday';
import type { PersonInput, Relationship, Sex } from './householdsApi';
import { RELATIONSHIPS, relationshipName } from './registryLabels';

// The server's rules repeated so the obvious mistakes show before sending. The ID number's region
// code, birth date and check digit are left to the server (GB 11643), whose exact reason is shown.
const PHONE = /^1\d{10}$/;

export interface PersonFormValues {
  name: string;
  sex: Sex;
  birthDate: Dayjs;
  idNumber: string;
  phone?: string;
  relationshipToHead: Relationship;
}

export const PERSON_FIELDS = ['name', 'sex', 'birthDate', 'idNumber', 'phone', 'relationshipToHead'];

export function personInput(values: PersonFormValues): PersonInput {
  return {
    name: values.name.trim(),
    sex: values.sex,
    birthDate: values.birthDate.format('YYYY-MM-DD'),
    idNumber: values.idNumber.trim().toUpperCase(),
    phone: values.phone?.trim() || null,
    relationshipToHead: values.relationshipToHead,
  };
}

interface Props {
  /** Hide the relationship (the head of a new household is the head). */
  relationship?: boolean;
}

export function PersonFields({ relationship = true }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <NameField />
      <Form.Item
        name="idNumber"
        label={t('registry.member.idNumber')}
        extra={t('registry.member.idHint')}
        rules={[{ required: true, whitespace: true, message: t('registry.member.idRequired') }]}
      >
        <Input maxLength={18} autoComplete="off" data-testid="field-idNumber" />
      </Form.Item>
      <Form.Item
        name="sex"
        label={t('registry.member.sex')}
        rules={[{ required: true, message: t('registry.member.sexRequired') }]}
      >
        <Select
          options={(['male', 'female'] as const).map((s) => ({ value: s, label: t(`registry.sex.${s}`) }))}
          data-testid="field-sex"
        />
      </Form.Item>
      <Form.Item
        name="birthDate"
        label={t('registry.member.birthDate')}
        rules={[
          { required: true, message: t('registry.member.birthRequired') },
          {
            validator: (_, value: Dayjs | undefined) =>
              value && afterChinaToday(value)
                ? Promise.reject(new Error(t('registry.member.birthFuture')))
                : Promise.resolve(),
          },
        ]}
      >
        <DatePicker style={{ width: '100%' }} disabledDate={afterChinaToday} data-testid="field-birthDate" />
      </Form.Item>
      <PhoneField />
      {relationship ? <RelationshipField /> : null}
    </>
  );
}

export function NameField() {
  const { t } = useTranslation();
  // The server counts characters as code points, so 王𠮷 is two: antd's maxLength counts UTF-16 units.
  return (
    <Form.Item
      name="name"
      label={t('registry.member.name')}
      rules={[{ required: true, whitespace: true, message: t('registry.member.nameRequired') }]}
    >
      <Input maxLength={100} data-testid="field-name" />
    </Form.Item>
  );
}

export function PhoneField({ placeholder }: { placeholder?: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="phone"
      label={t('registry.member.phone')}
      rules={[{ pattern: PHONE, message: t('registry.member.phoneRule') }]}
    >
      <Input maxLength={11} inputMode="numeric" placeholder={placeholder} data-testid="field-phone" />
    </Form.Item>
  );
}

export function RelationshipField({
  label,
  name = 'relationshipToHead',
}: {
  label?: string;
  /** The form field; the household edit asks for the previous head's new relationship. */
  name?: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label ?? t('registry.member.relationship')}
      rules={[{ required: true, message: t('registry.member.relationshipRequired') }]}
    >
      <Select
        options={RELATIONSHIPS.filter((r) => r !== 'head').map((r) => ({
          value: r,
          label: relationshipName(t, r),
        }))}
        data-testid={name === 'relationshipToHead' ? 'field-relationship' : `field-${name}`}
      />
    </Form.Item>
  );
}
