/**
 * /households/:id — one household: header, members (masked, 查看 to reveal), categories with
 * amounts, the history timeline, and for auditors the audit trail. ?asOf=YYYY-MM-DD shows the
 * household as it stood that day. Outside the scope the server answers 404: the not-found page.
 */
import { Alert, Button, Card, Col, DatePicker, Descriptions, Row, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { afterChinaToday, todayInChina } from '../../components/chinaToday';
import { DetailCard } from '../../components/DetailCard';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CategoriesTable } from './CategoriesTable';
import { HistoryTimeline } from './HistoryTimeline';
import { HouseholdAudit } from './HouseholdAudit';
import { HouseholdEditDialog } from './HouseholdEditDialog';
import { getHousehold } from './householdsApi';
import { MembersTable } from './MembersTable';
import { AddCategoryDialog, AddMemberDialog } from './RegistryDialogs';
import { ResidenceCases } from './ResidenceCases';

type Dialog = 'edit' | 'member' | 'category' | null;

export default function HouseholdDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const can = useCan();
  const [dialog, setDialog] = useState<Dialog>(null);
  const loaded = useLoad(() => getHousehold(id, asOf), [id, asOf]);

  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const household = loaded.data;
  if (!household) return <FullPageSpin />;

  const today = todayInChina();
  const viewing = asOf ?? today;
  // Changes are made to today's household, not to a past view of it.
  const canWrite = can('registry.write') && !asOf;
  const setAsOf = (date: string | undefined) => {
    const next = new URLSearchParams(params);
    if (date && date !== today) next.set('asOf', date);
    else next.delete('asOf');
    setParams(next, { replace: true });
  };
  const closeAndReload = () => {
    setDialog(null);
    loaded.reload();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <DetailCard
        title={t('registry.household.detailTitle')}
        extra={
          <Space>
            {can('verification.read') ? (
              <Link
                to={`/households/${household.id}/verification?asOf=${viewing}`}
                data-testid="verification-report-link"
              >
                {t('verification.open')}
              </Link>
            ) : null}
            {canWrite ? (
              <Button onClick={() => setDialog('edit')} data-testid="household-edit">
                {t('registry.household.editHousehold')}
              </Button>
            ) : null}
          </Space>
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">{t('registry.household.asOf')}</Typography.Text>
          <DatePicker
            value={dayjs(viewing)}
            allowClear={false}
            disabledDate={afterChinaToday}
            onChange={(day) => setAsOf(day?.format('YYYY-MM-DD'))}
            data-testid="as-of"
          />
        </Space>
        {asOf ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('registry.household.asOfHint', { date: asOf })}
            action={
              <Button size="small" onClick={() => setAsOf(undefined)}>
                {t('registry.household.today')}
              </Button>
            }
          />
        ) : null}
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          bordered
          size="small"
          data-testid="household-header"
          items={[
            {
              key: 'number',
              label: t('registry.household.householdNumber'),
              children: household.householdNumber,
            },
            { key: 'head', label: t('registry.household.head'), children: household.headName ?? '—' },
            { key: 'village', label: t('registry.household.village'), children: household.regionName },
            {
              key: 'urban',
              label: t('registry.household.urban'),
              children: (
                <Tag color={household.urban ? 'blue' : 'green'}>
                  {household.urban ? t('registry.household.urbanYes') : t('registry.household.urbanNo')}
                </Tag>
              ),
            },
            {
              key: 'address',
              label: t('registry.household.address'),
              children: household.address,
              span: { xs: 1, sm: 2, lg: 2 },
            },
          ]}
        />
      </DetailCard>

      <Card
        title={t('registry.household.members', { count: household.members.length })}
        size="small"
        extra={
          canWrite ? (
            <Button onClick={() => setDialog('member')} data-testid="member-add">
              {t('registry.household.addMember')}
            </Button>
          ) : null
        }
      >
        <MembersTable members={household.members} />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card
            title={t('registry.household.categories')}
            size="small"
            extra={
              canWrite ? (
                <Button onClick={() => setDialog('category')} data-testid="category-add">
                  {t('registry.household.addCategory')}
                </Button>
              ) : null
            }
          >
            <CategoriesTable
              householdId={household.id}
              categories={household.categories}
              asOf={viewing}
              canWrite={canWrite}
              onChanged={loaded.reload}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('registry.household.history')} size="small">
            <HistoryTimeline entries={household.history ?? []} />
          </Card>
        </Col>
      </Row>

      {can('intake.read') ? <ResidenceCases householdId={household.id} /> : null}

      {can('audit.read') ? (
        <Card title={t('registry.household.audit')} size="small">
          <HouseholdAudit householdId={household.id} />
        </Card>
      ) : null}

      {dialog === 'edit' ? (
        <HouseholdEditDialog household={household} onClose={() => setDialog(null)} onSaved={closeAndReload} />
      ) : null}
      {dialog === 'member' ? (
        <AddMemberDialog
          householdId={household.id}
          onClose={() => setDialog(null)}
          onSaved={closeAndReload}
        />
      ) : null}
      {dialog === 'category' ? (
        <AddCategoryDialog
          householdId={household.id}
          onClose={() => setDialog(null)}
          onSaved={closeAndReload}
        />
      ) : null}
    </Space>
  );
}
