/**
 * Step 1 of the window wizard: find the household in the registry (name, ID number or 户号), or
 * register it there and then (the registry's own API and rules: the ID number checked by the server,
 * one person one household).
 */
import { App, Button, Form, Input, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { showFieldError } from '../../components/serverErrors';
import { type HouseholdSummary, listHouseholds } from '../households/householdsApi';
import {
  NEW_HOUSEHOLD_FIELDS,
  NEW_HOUSEHOLD_INITIAL,
  NewHouseholdFields,
  type NewHouseholdValues,
  registerHousehold,
} from '../households/NewHouseholdFields';
import { CategoryTags } from '../households/registryLabels';
import { WizardResidence } from './WizardResidence';

export interface ChosenHousehold {
  id: string;
  householdNumber: string;
  headName: string | null;
  regionName: string;
  /** Apply where you live (居住地申办): the village of residence and the resident permit. */
  residence?: { regionCode: string; permitNumber: string };
}

/** 18 characters ending in a digit or X: an ID number; only digits: a 户号; else a name. */
function queryOf(text: string) {
  const q = text.trim();
  if (/^\d{17}[\dXx]$/.test(q)) return { idNumber: q.toUpperCase() };
  if (/^\d+$/.test(q)) return { householdNumber: q };
  return { name: q };
}

export function WizardHousehold({ onChoose }: { onChoose(h: ChosenHousehold): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [mode, setMode] = useState<'find' | 'register' | 'residence'>('find');
  const [rows, setRows] = useState<HouseholdSummary[]>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<NewHouseholdValues>();

  async function search(text: string) {
    if (!text.trim()) return;
    setBusy(true);
    try {
      setRows((await listHouseholds({ ...queryOf(text), page: 1, pageSize: 10 })).items);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  async function register(values: NewHouseholdValues) {
    setBusy(true);
    try {
      const { created, headName } = await registerHousehold(values);
      message.success(t('registry.household.created'));
      onChoose({
        id: created.id,
        householdNumber: created.householdNumber,
        headName,
        regionName: created.regionName,
      });
    } catch (error) {
      if (!showFieldError(form, error, NEW_HOUSEHOLD_FIELDS)) message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Radio.Group
        value={mode}
        onChange={(e) => setMode(e.target.value)}
        optionType="button"
        options={[
          { value: 'find', label: t('intake.wizard.find') },
          { value: 'register', label: t('intake.wizard.register') },
          { value: 'residence', label: t('intake.wizard.residence.mode') },
        ]}
      />
      {mode === 'residence' ? (
        <WizardResidence onChoose={onChoose} />
      ) : mode === 'find' ? (
        <>
          <Input.Search
            placeholder={t('intake.wizard.searchPlaceholder')}
            enterButton={t('intake.wizard.search')}
            loading={busy}
            onSearch={(v) => void search(v)}
            style={{ maxWidth: 480 }}
            data-testid="household-search"
          />
          {rows ? (
            <Table<HouseholdSummary>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={rows}
              locale={{ emptyText: t('intake.wizard.noMatch') }}
              columns={[
                { title: t('intake.wizard.householdNumber'), dataIndex: 'householdNumber' },
                { title: t('intake.wizard.head'), render: (_, h) => h.headName ?? '—' },
                { title: t('intake.wizard.idNumber'), render: (_, h) => h.idNumberMasked ?? '—' },
                { title: t('intake.wizard.village'), dataIndex: 'regionName' },
                {
                  title: t('intake.wizard.categories'),
                  render: (_, h) => <CategoryTags categories={h.categories} />,
                },
                {
                  title: '',
                  render: (_, h) => (
                    <Button type="link" data-testid="choose-household" onClick={() => onChoose(h)}>
                      {t('intake.wizard.choose')}
                    </Button>
                  ),
                },
              ]}
            />
          ) : null}
        </>
      ) : (
        <Form<NewHouseholdValues>
          form={form}
          layout="vertical"
          onFinish={register}
          initialValues={NEW_HOUSEHOLD_INITIAL}
          style={{ maxWidth: 640 }}
        >
          <NewHouseholdFields />
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('intake.wizard.registerAndUse')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
