/**
 * The fields of a new household with its head: used by the registry's "new household" page and by the
 * window intake wizard when the household is not registered yet. One form, one set of messages, one
 * request shape.
 */
import { Divider, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';
import { createHousehold } from './householdsApi';
import { PERSON_FIELDS, PersonFields, type PersonFormValues, personInput } from './PersonFields';

export interface NewHouseholdValues extends PersonFormValues {
  householdNumber: string;
  regionCode: string;
  address: string;
  urban: boolean;
}

/** Field names the server may name in a validation error, for showFieldError. */
export const NEW_HOUSEHOLD_FIELDS = ['householdNumber', 'regionCode', 'address', 'urban', ...PERSON_FIELDS];

export const NEW_HOUSEHOLD_INITIAL: Partial<NewHouseholdValues> = { urban: false };

/** Registers the household with its head; returns the created household and the head's name. */
export async function registerHousehold(values: NewHouseholdValues) {
  const { relationshipToHead: _, ...head } = personInput({ ...values, relationshipToHead: 'head' });
  const created = await createHousehold({
    householdNumber: values.householdNumber.trim(),
    regionCode: values.regionCode,
    address: values.address.trim(),
    urban: values.urban,
    head,
  });
  return { created, headName: head.name };
}

export function NewHouseholdFields() {
  const { t } = useTranslation();
  return (
    <>
      <Divider titlePlacement="start" plain>
        {t('registry.household.householdSection')}
      </Divider>
      <Form.Item
        name="householdNumber"
        label={t('registry.household.householdNumber')}
        rules={[
          { required: true, whitespace: true, message: t('registry.household.householdNumberRequired') },
        ]}
      >
        <Input maxLength={30} data-testid="field-householdNumber" />
      </Form.Item>
      <Form.Item
        name="regionCode"
        label={t('registry.household.village')}
        rules={[{ required: true, message: t('registry.household.regionRequired') }]}
      >
        <RegionTreeSelect />
      </Form.Item>
      <Form.Item
        name="address"
        label={t('registry.household.address')}
        rules={[{ required: true, whitespace: true, message: t('registry.household.addressRequired') }]}
      >
        <Input maxLength={200} data-testid="field-address" />
      </Form.Item>
      <Form.Item name="urban" label={t('registry.household.urban')}>
        <Radio.Group
          options={[
            { value: false, label: t('registry.household.urbanNo') },
            { value: true, label: t('registry.household.urbanYes') },
          ]}
        />
      </Form.Item>
      <Divider titlePlacement="start" plain>
        {t('registry.household.headSection')}
      </Divider>
      <PersonFields relationship={false} />
    </>
  );
}
