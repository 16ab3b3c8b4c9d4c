/** Records a new value of one attribute of a person, effective from a date (the old value ends there). */
import { Checkbox, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../components/chinaToday';
import { FormDialog } from '../../components/FormDialog';
import { ATTRIBUTE_KINDS, type AttributeKind, recordAttribute } from './householdsApi';
import { ATTRIBUTE_OPTIONS, attributeKindName, CARE_TASKS } from './registryLabels';

interface Values {
  kind: AttributeKind;
  value?: string;
  disabilityType?: string;
  grade?: number;
  diagnosis?: string;
  careNeeds?: string[];
  validFrom: Dayjs;
}

const DISABILITY_TYPES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];
/** The value object the API stores for each kind (registry.model.ts, checkAttributeValue). */
function attributeValue(values: Values): Record<string, unknown> {
  switch (values.kind) {
    case 'disability':
      return { type: values.disabilityType, grade: values.grade };
    case 'seriousIllness':
      return { diagnosis: values.diagnosis?.trim() };
    case 'careDependency':
      return Object.fromEntries(CARE_TASKS.map((task) => [task, !values.careNeeds?.includes(task)]));
    case 'workCapacity':
      return { capacity: values.value };
    case 'schooling':
      return { stage: values.value };
    default:
      return { status: values.value };
  }
}

// The server names the inner field ("value.status"); the form has one box per kind.
const SERVER_FIELDS = [
  'value',
  'status',
  'capacity',
  'stage',
  'type',
  'grade',
  'diagnosis',
  'validFrom',
  'kind',
];

interface Props {
  personId: string;
  onClose(): void;
  onSaved(): void;
}

export function AttributeDialog({ personId, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <FormDialog<Values>
      title={t('registry.attribute.record')}
      fields={SERVER_FIELDS}
      initialValues={{ kind: 'healthCondition', validFrom: chinaToday() }}
      onClose={onClose}
      onSaved={onSaved}
      testId="attribute-form"
      onSave={(values) =>
        recordAttribute(personId, {
          kind: values.kind,
          value: attributeValue(values),
          validFrom: values.validFrom.format('YYYY-MM-DD'),
        })
      }
    >
      <Form.Item
        name="kind"
        label={t('registry.attribute.kind')}
        rules={[{ required: true, message: t('registry.attribute.kindRequired') }]}
      >
        <Select options={ATTRIBUTE_KINDS.map((k) => ({ value: k, label: attributeKindName(t, k) }))} />
      </Form.Item>
      <Form.Item noStyle dependencies={['kind']}>
        {({ getFieldValue }) => <ValueInput kind={getFieldValue('kind') as AttributeKind} />}
      </Form.Item>
      <Form.Item
        name="validFrom"
        label={t('registry.attribute.validFrom')}
        rules={[{ required: true, message: t('registry.attribute.validFromRequired') }]}
      >
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}

function ValueInput({ kind }: { kind: AttributeKind }) {
  const { t } = useTranslation();
  const required = { required: true, message: t('registry.attribute.valueRequired') };
  if (kind === 'disability') {
    return (
      <>
        <Form.Item name="disabilityType" label={t('registry.attributeKinds.disability')} rules={[required]}>
          <Select
            options={DISABILITY_TYPES.map((d) => ({ value: d, label: t(`registry.disabilityType.${d}`) }))}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['disabilityType']}>
          {() => (
            <Form.Item name="grade" label={t('registry.attribute.grade')} rules={[required]}>
              <Select options={[1, 2, 3, 4].map((g) => ({ value: g, label: t(`registry.grade.${g}`) }))} />
            </Form.Item>
          )}
        </Form.Item>
      </>
    );
  }
  if (kind === 'seriousIllness') {
    return (
      <Form.Item name="diagnosis" label={t('registry.attribute.diagnosis')} rules={[required]}>
        <Input maxLength={100} />
      </Form.Item>
    );
  }
  if (kind === 'careDependency') {
    return (
      <Form.Item name="careNeeds" label={t('registry.care.needsHelp')}>
        <Checkbox.Group
          options={CARE_TASKS.map((task) => ({ value: task, label: t(`registry.care.${task}`) }))}
        />
      </Form.Item>
    );
  }
  const group = kind === 'healthCondition' ? 'health' : kind;
  const options: readonly string[] = ATTRIBUTE_OPTIONS[kind];
  return (
    <Form.Item name="value" label={t('registry.attribute.value')} rules={[required]}>
      <Select options={options.map((v) => ({ value: v, label: t(`registry.${group}.${v}`) }))} />
    </Form.Item>
  );
}
