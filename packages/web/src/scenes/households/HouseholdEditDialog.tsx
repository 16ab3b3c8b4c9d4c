/**
 * 修改户信息: address, urban or rural, and a change of head. The head must be an adult member;
 * that rule is the server's (it knows today's age), and its message is shown under the field.
 */
import { Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/FormDialog';
import { type Household, type Relationship, updateHousehold } from './householdsApi';
import { RelationshipField } from './PersonFields';

interface Values {
  address: string;
  urban: boolean;
  headPersonId: string;
  previousHeadRelationship?: Relationship;
}

const FIELDS = ['address', 'urban', 'headPersonId', 'previousHeadRelationship'];
export const ADDRESS_MAX = 200;

interface Props {
  household: Household;
  onClose(): void;
  onSaved(): void;
}

export function HouseholdEditDialog({ household, ...props }: Props) {
  const { t } = useTranslation();
  const headId = household.headPersonId ?? undefined;
  return (
    <FormDialog<Values>
      {...props}
      title={t('registry.household.editHousehold')}
      fields={FIELDS}
      initialValues={{ address: household.address, urban: household.urban, headPersonId: headId }}
      testId="household-edit-form"
      onSave={async (values) => {
        const address = values.address.trim();
        const headChanged = values.headPersonId !== headId;
        // Only what changed is sent, so the audit trail records the real change.
        await updateHousehold(household.id, {
          version: household.version,
          ...(address !== household.address ? { address } : {}),
          ...(values.urban !== household.urban ? { urban: values.urban } : {}),
          ...(headChanged
            ? { headPersonId: values.headPersonId, previousHeadRelationship: values.previousHeadRelationship }
            : {}),
        });
      }}
    >
      <Form.Item
        name="address"
        label={t('registry.household.address')}
        rules={[
          { required: true, whitespace: true, message: t('registry.household.addressRequired') },
          { max: ADDRESS_MAX, message: t('registry.household.addressTooLong', { max: ADDRESS_MAX }) },
        ]}
      >
        <Input data-testid="field-address" />
      </Form.Item>
      <Form.Item name="urban" label={t('registry.household.urban')}>
        <Radio.Group
          options={[
            { value: true, label: t('registry.household.urbanYes') },
            { value: false, label: t('registry.household.urbanNo') },
          ]}
          data-testid="field-urban"
        />
      </Form.Item>
      <Form.Item
        name="headPersonId"
        label={t('registry.household.head')}
        extra={t('registry.household.headHint')}
        rules={[{ required: true, message: t('registry.household.headRequired') }]}
      >
        <Select
          options={household.members.map((m) => ({
            value: m.id,
            label: t('registry.household.headOption', { name: m.name, age: m.age }),
          }))}
          data-testid="field-head"
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['headPersonId']}>
        {({ getFieldValue }) =>
          getFieldValue('headPersonId') !== headId && headId ? (
            <RelationshipField
              name="previousHeadRelationship"
              label={t('registry.household.previousHeadRelationship', {
                name: household.headName ?? '',
              })}
            />
          ) : null
        }
      </Form.Item>
    </FormDialog>
  );
}
