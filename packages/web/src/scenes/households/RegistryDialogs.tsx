/** The registry's small forms: add member, edit person, add category, transfer a person. */
import { DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import { afterChinaToday, chinaToday } from '../../components/chinaToday';
import { FormDialog } from '../../components/FormDialog';
import {
  addCategory,
  addMember,
  CATEGORIES,
  type Category,
  listHouseholds,
  type Person,
  type Relationship,
  transferPerson,
  updatePerson,
} from './householdsApi';
import {
  NameField,
  PERSON_FIELDS,
  PersonFields,
  type PersonFormValues,
  PhoneField,
  personInput,
  RelationshipField,
} from './PersonFields';
import { fenFromYuan } from './registryLabels';

interface DialogProps {
  onClose(): void;
  onSaved(): void;
}

const iso = (day: Dayjs) => day.format('YYYY-MM-DD');
const HOUSEHOLD_NUMBER = /^[0-9A-Za-z-]{1,40}$/;

export function AddMemberDialog({ householdId, ...props }: DialogProps & { householdId: string }) {
  const { t } = useTranslation();
  return (
    <FormDialog<PersonFormValues>
      {...props}
      title={t('registry.member.addTitle')}
      fields={PERSON_FIELDS}
      testId="member-form"
      onSave={(values) => addMember(householdId, personInput(values))}
    >
      <PersonFields />
    </FormDialog>
  );
}

interface EditValues {
  name: string;
  phone?: string;
  relationshipToHead?: Relationship;
}

/** Sex and birth date follow the ID number and are not edited; a blank phone box keeps the phone. */
export function EditPersonDialog({ person, ...props }: DialogProps & { person: Person }) {
  const { t } = useTranslation();
  const isHead = person.relationshipToHead === 'head';
  return (
    <FormDialog<EditValues>
      {...props}
      title={t('registry.member.edit')}
      fields={['name', 'phone', 'relationshipToHead']}
      initialValues={{ name: person.name, relationshipToHead: person.relationshipToHead }}
      testId="person-form"
      onSave={(values) =>
        updatePerson(person.id, {
          version: person.version,
          name: values.name.trim(),
          ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
          ...(isHead ? {} : { relationshipToHead: values.relationshipToHead }),
        })
      }
    >
      <NameField />
      <PhoneField placeholder={person.phoneMasked ?? undefined} />
      {isHead ? null : <RelationshipField />}
    </FormDialog>
  );
}

interface CategoryValues {
  category: Category;
  validFrom: Dayjs;
  amount?: string;
}

export function AddCategoryDialog({ householdId, ...props }: DialogProps & { householdId: string }) {
  const { t } = useTranslation();
  return (
    <FormDialog<CategoryValues>
      {...props}
      title={t('registry.category.add')}
      fields={['category', 'validFrom', 'monthlyAmountFen']}
      initialValues={{ validFrom: chinaToday() }}
      testId="category-form"
      onSave={(values) =>
        addCategory(householdId, {
          category: values.category,
          validFrom: iso(values.validFrom),
          ...(values.amount?.trim() ? { monthlyAmountFen: fenFromYuan(values.amount) } : {}),
        })
      }
    >
      <Form.Item
        name="category"
        label={t('registry.category.category')}
        rules={[{ required: true, message: t('registry.category.categoryRequired') }]}
      >
        <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`registry.categories.${c}`) }))} />
      </Form.Item>
      <Form.Item
        name="validFrom"
        label={t('registry.category.validFrom')}
        rules={[{ required: true, message: t('registry.attribute.validFromRequired') }]}
      >
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="amount"
        label={t('registry.category.monthlyAmount')}
        extra={t('registry.category.amountHint')}
        rules={[
          {
            validator: (_, value: string | undefined) =>
              !value || fenFromYuan(value) !== undefined
                ? Promise.resolve()
                : Promise.reject(new Error(t('registry.category.amountRule'))),
          },
        ]}
      >
        <Input inputMode="decimal" prefix="¥" />
      </Form.Item>
    </FormDialog>
  );
}

interface TransferValues {
  toHouseholdId: string;
  relationshipToHead: Relationship;
  movedOn: Dayjs;
  reason: string;
}

export function TransferDialog({ person, ...props }: DialogProps & { person: Person }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  // A 户号 is letters, digits and dashes (the server's pattern); anything else is a head's name.
  const found = useLoad(async () => {
    const term = search.trim();
    if (!term) return [];
    const byNumber = HOUSEHOLD_NUMBER.test(term);
    const page = await listHouseholds({
      ...(byNumber ? { householdNumber: term } : { name: term }),
      page: 1,
      pageSize: 21,
    });
    return page.items.filter((h) => h.id !== person.householdId).slice(0, 20);
  }, [search]);
  return (
    <FormDialog<TransferValues>
      {...props}
      title={t('registry.transfer.title')}
      fields={['toHouseholdId', 'relationshipToHead', 'movedOn', 'reason']}
      initialValues={{ movedOn: chinaToday() }}
      testId="transfer-form"
      onSave={(values) =>
        transferPerson(person.id, {
          toHouseholdId: values.toHouseholdId,
          relationshipToHead: values.relationshipToHead,
          movedOn: iso(values.movedOn),
          reason: values.reason.trim(),
        })
      }
    >
      <Form.Item
        name="toHouseholdId"
        label={t('registry.transfer.target')}
        rules={[{ required: true, message: t('registry.transfer.targetRequired') }]}
      >
        <Select
          showSearch={{ filterOption: false, onSearch: setSearch }}
          placeholder={t('registry.transfer.targetSearch')}
          loading={found.loading && search !== ''}
          notFoundContent={null}
          options={(found.data ?? []).map((h) => ({
            value: h.id,
            label: `${h.householdNumber} · ${h.headName ?? '—'} · ${h.regionName}`,
          }))}
          data-testid="transfer-target"
        />
      </Form.Item>
      <RelationshipField label={t('registry.transfer.relationship')} />
      <Form.Item
        name="movedOn"
        label={t('registry.transfer.date')}
        rules={[{ required: true, message: t('registry.attribute.validFromRequired') }]}
      >
        <DatePicker style={{ width: '100%' }} disabledDate={afterChinaToday} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('registry.transfer.reason')}
        rules={[{ required: true, whitespace: true, message: t('registry.transfer.reasonRequired') }]}
      >
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormDialog>
  );
}
