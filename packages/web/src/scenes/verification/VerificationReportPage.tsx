/**
 * /households/:id/verification?asOf=YYYY-MM-DD — the household's verification report (核对报告):
 * flags with the parameters they were checked against, persons covered, income, assets, property,
 * vehicles, business roles and every departmental record with its provenance; a printable PDF;
 * take-highest reconciliation and the supporters living apart. Every load is audited by the server.
 */
import { Alert, Button, Card, Collapse, DatePicker, Descriptions, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { afterChinaToday, todayInChina } from '../../components/chinaToday';
import { ApiErrorPage } from '../errors/ErrorPage';
import { relationshipName, yuan } from '../households/registryLabels';
import { ReconciliationCard } from './ReconciliationCard';
import { SupportersCard } from './SupportersCard';
import { getReport, type Report, reportPdfUrl } from './verificationApi';

type Person = Report['persons'][number];
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

export default function VerificationReportPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const today = todayInChina();
  const asOf = params.get('asOf') ?? today;
  const can = useCan();
  const loaded = useLoad(() => getReport(id, asOf), [id, asOf]);
  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const report = loaded.data;
  if (!report) return <FullPageSpin />;
  const c = (key: string) => t(`verification.columns.${key}`);
  const members = report.persons.filter((p) => p.role === 'member');
  // A figure from a source never loaded by the date is unknown (—), not zero.
  const loadedSources = new Set(report.sourcesLoaded.map((x) => x.source));
  const known = (...sources: string[]) => sources.some((x) => loadedSources.has(x));
  const money = (v: unknown, ...sources: string[]) =>
    typeof v === 'number' && (sources.length === 0 || known(...sources)) ? yuan(v) : '—';
  const ASSETS = ['bankDeposit', 'securities', 'commercialInsurance'];
  const relationship = (p: Person) =>
    p.role === 'supporter'
      ? t(`verification.supporters.relationships.${p.relationship}`, { defaultValue: p.relationship })
      : relationshipName(t, p.relationship);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="verification-report">
      <Card size="small">
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('verification.title')}
            </Typography.Title>
            <Space wrap>
              <Link to={`/households/${id}`}>{t('verification.back')}</Link>
              <Button type="primary" href={reportPdfUrl(id, asOf)} target="_blank" data-testid="report-pdf">
                {t('verification.print')}
              </Button>
            </Space>
          </Space>
          <Typography.Text type="secondary">{t('verification.hint')}</Typography.Text>
          <Space wrap>
            <Typography.Text>{t('verification.asOf')}</Typography.Text>
            <DatePicker
              value={dayjs(asOf)}
              allowClear={false}
              disabledDate={afterChinaToday}
              onChange={(day) => setParams(day ? { asOf: day.format('YYYY-MM-DD') } : {}, { replace: true })}
              data-testid="report-as-of"
            />
          </Space>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              { key: 'no', label: t('verification.documentNumber'), children: report.documentNumber },
              {
                key: 'hh',
                label: t('registry.household.householdNumber'),
                children: report.household.householdNumber,
              },
              {
                key: 'village',
                label: t('registry.household.village'),
                children: `${report.household.townshipName ?? ''}${report.household.regionName}`,
              },
            ]}
          />
          <Typography.Text type="secondary" data-testid="sources-loaded">
            {report.sourcesLoaded.length
              ? t('verification.sourcesLoaded', {
                  list: report.sourcesLoaded
                    .map((s) => `${en ? s.labelEn : s.label} ${s.lastAsOf}`)
                    .join(en ? '; ' : '；'),
                })
              : t('verification.noSources')}
          </Typography.Text>
          {report.notes.map((n) => (
            <Alert key={n.zh} type="info" showIcon title={en ? n.en : n.zh} />
          ))}
        </Space>
      </Card>

      <Card size="small" title={t('verification.flags')} data-testid="report-flags">
        {report.flags.length === 0 ? (
          <Typography.Text type="success">{t('verification.noFlags')}</Typography.Text>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {report.flags.map((f) => (
              <Alert
                key={`${f.code}-${f.text}`}
                type="error"
                showIcon
                title={en ? f.textEn : f.text}
                description={t('verification.basis', {
                  description: f.parameter.description,
                  date: f.parameter.effectiveDate,
                  value:
                    f.parameter.unit === 'fen'
                      ? `${yuan(f.parameter.value)} ${t('verification.unit.yuan')}`
                      : f.parameter.value,
                  reference: f.parameter.reference,
                })}
              />
            ))}
          </Space>
        )}
      </Card>

      <Card size="small" title={t('verification.persons')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={report.persons}
          columns={[
            { title: c('name'), dataIndex: 'name' },
            { title: c('idNumber'), dataIndex: 'idNumberMasked' },
            {
              title: c('role'),
              render: (_, p) => (
                <Tag color={p.role === 'member' ? 'blue' : 'purple'}>{t(`verification.role.${p.role}`)}</Tag>
              ),
            },
            { title: c('relationship'), render: (_, p) => relationship(p) },
          ]}
        />
      </Card>

      <Card size="small" title={t('verification.income')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={members}
          columns={[
            { title: c('name'), dataIndex: 'name' },
            { title: c('wage'), align: 'right', render: (_, p) => money(p.income?.wageIncome, 'tax') },
            {
              title: c('pension'),
              align: 'right',
              render: (_, p) => money(p.income?.pensionIncome, 'socialInsurance'),
            },
            {
              title: c('exemptPension'),
              align: 'right',
              render: (_, p) => money(p.income?.exemptPension, 'socialInsurance'),
            },
            {
              title: c('transfer'),
              align: 'right',
              render: (_, p) => money(p.income?.transferIncome, 'socialInsurance'),
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('verification.householdTotal')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {money(report.totals.wageIncome, 'tax')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {money(report.totals.pensionIncome, 'socialInsurance')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {money(report.totals.exemptIncome, 'socialInsurance')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {money(report.totals.transferIncome, 'socialInsurance')}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>

      <Card size="small" title={t('verification.assets')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={report.persons}
          columns={[
            {
              title: c('name'),
              render: (_, p) =>
                `${p.name}${p.role === 'supporter' ? ` (${t('verification.role.supporter')})` : ''}`,
            },
            { title: c('deposits'), align: 'right', render: (_, p) => money(p.assets?.deposits, ...ASSETS) },
            {
              title: c('securities'),
              align: 'right',
              render: (_, p) => money(p.assets?.securities, ...ASSETS),
            },
            {
              title: c('insurance'),
              align: 'right',
              render: (_, p) => money(p.assets?.insurance, ...ASSETS),
            },
            { title: c('total'), align: 'right', render: (_, p) => money(p.assets?.total, ...ASSETS) },
          ]}
        />
      </Card>

      <Card size="small" title={t('verification.properties')}>
        <Table
          size="small"
          rowKey={(r) => `${r.personId}-${text(r.certificateNumber)}`}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('verification.empty') }}
          dataSource={report.properties}
          columns={[
            { title: c('owner'), dataIndex: 'personName' },
            { title: c('certificate'), render: (_, r) => text(r.certificateNumber) },
            { title: c('location'), render: (_, r) => text(r.location) },
            { title: c('use'), dataIndex: 'useLabel' },
            { title: c('area'), align: 'right', render: (_, r) => text(r.areaM2) },
          ]}
        />
      </Card>

      <Card
        size="small"
        title={t('verification.vehicles')}
        extra={
          report.totals.disabilityVehicles > 0 ? (
            <Typography.Text type="secondary">
              {t('verification.disabilityVehicles', { count: report.totals.disabilityVehicles })}
            </Typography.Text>
          ) : null
        }
      >
        <Table
          size="small"
          rowKey={(r) => `${r.personId}-${text(r.plate)}`}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('verification.empty') }}
          dataSource={report.vehicles}
          columns={[
            { title: c('owner'), dataIndex: 'personName' },
            { title: c('plate'), render: (_, r) => text(r.plate) },
            { title: c('kind'), dataIndex: 'kindLabel' },
            { title: c('brand'), render: (_, r) => text(r.brand) },
            { title: c('price'), align: 'right', render: (_, r) => money(r.purchasePriceFen) },
          ]}
        />
      </Card>

      <Card size="small" title={t('verification.businesses')}>
        <Table
          size="small"
          rowKey={(r) => `${r.personId}-${text(r.entityName)}`}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('verification.empty') }}
          dataSource={report.businessRoles}
          columns={[
            { title: c('name'), dataIndex: 'personName' },
            { title: c('entity'), render: (_, r) => text(r.entityName) },
            { title: c('position'), dataIndex: 'roleLabel' },
            { title: c('capital'), align: 'right', render: (_, r) => money(r.registeredCapitalFen) },
          ]}
        />
      </Card>

      <Card size="small" title={t('verification.records')}>
        <Collapse
          items={report.persons.map((p) => ({
            key: p.id,
            label: t('verification.recordsOf', { name: p.name, count: p.records.length }),
            children: (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: true }}
                locale={{ emptyText: t('verification.empty') }}
                dataSource={p.records}
                columns={[
                  { title: c('source'), render: (_, r) => (en ? r.sourceLabelEn : r.sourceLabel) },
                  {
                    title: c('content'),
                    render: (_, r) => (
                      <>
                        {r.text}
                        {r.nameMismatch ? <Tag color="orange">{t('verification.nameMismatch')}</Tag> : null}
                      </>
                    ),
                  },
                  {
                    title: c('provenance'),
                    render: (_, r) =>
                      `${text(r.provenance.fileName)} / ${r.provenance.importedAt ? dayjs(r.provenance.importedAt).format('YYYY-MM-DD HH:mm') : '—'} / ${r.provenance.seenAsOf}`,
                  },
                ]}
              />
            ),
          }))}
        />
      </Card>

      <ReconciliationCard householdId={id} asOf={asOf} canApprove={can('verification.reconcile')} />
      <SupportersCard householdId={id} canWrite={can('verification.reconcile')} onChanged={loaded.reload} />
    </Space>
  );
}
