/**
 * One household of a run: the prescription (救助处方, printable) and the Chinese trace of every
 * policy, evaluated again by the server on the run's date. Printing shows only the prescription
 * (screening.css hides the rest of the page).
 */
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Descriptions, Drawer, List, Spin, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { amountText, householdDetail, type ScreeningHousehold, type ScreeningResult } from './screeningApi';
import './screening.css';

const STATUS_COLOR = {
  eligible: 'green',
  ineligible: 'default',
  needsInformation: 'orange',
  error: 'red',
} as const;

function Prescription({ detail }: { detail: ScreeningHousehold }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const h = detail.household;
  const { items, needsInformation } = detail.prescription;
  return (
    <div className="prescription-print" data-testid="prescription">
      <Typography.Title level={4}>{t('screening.prescriptionTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('screening.prescriptionFor', {
          name: h.headName ?? '—',
          number: h.householdNumber,
          township: h.townshipName,
          village: h.villageName,
          date: detail.run.onDate,
        })}
      </Typography.Paragraph>
      {items.length === 0 ? <Alert type="info" showIcon title={t('screening.noItems')} /> : null}
      {items.map((item) => (
        <section key={item.policyId} className="prescription-item" data-testid="prescription-item">
          <Typography.Title level={5}>
            {item.order}. {en ? item.nameEn : item.name}{' '}
            <Tag>{t(`screening.groups.${item.group}`, { defaultValue: item.groupLabel })}</Tag>
            {item.amountFen !== null ? (
              <Tag color="green">{amountText(item.amountFen, item.amountUnit, en)}</Tag>
            ) : null}
          </Typography.Title>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('screening.documents')}>
              <ul className="prescription-docs">
                {item.documents.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </Descriptions.Item>
            <Descriptions.Item label={t('screening.office')}>
              {item.department} · {item.office}
              {item.timeLimitWorkingDays
                ? `（${t('screening.timeLimit', { days: item.timeLimitWorkingDays })}）`
                : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('screening.phone')}>{item.phone}</Descriptions.Item>
            <Descriptions.Item label={t('screening.why')}>
              <pre className="trace-text">{item.why}</pre>
            </Descriptions.Item>
          </Descriptions>
        </section>
      ))}
      {needsInformation.length > 0 ? (
        <>
          <Typography.Title level={5}>{t('screening.needsTitle')}</Typography.Title>
          <List
            size="small"
            bordered
            dataSource={needsInformation}
            renderItem={(n) => (
              <List.Item>
                <span>
                  <strong>{n.name}</strong>　{t('screening.missing', { list: n.missing.join('、') })}
                </span>
              </List.Item>
            )}
          />
        </>
      ) : null}
    </div>
  );
}

function Trace({ detail }: { detail: ScreeningHousehold }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [all, setAll] = useState(false);
  const shown = detail.policies.filter((p) => all || p.status !== 'ineligible');
  return (
    <div data-testid="trace">
      <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)} style={{ marginBottom: 8 }}>
        {t('screening.showAll')}
      </Checkbox>
      <List
        dataSource={shown}
        renderItem={(p) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Typography.Text strong>{en ? p.nameEn : p.name}</Typography.Text>{' '}
              <Tag color={STATUS_COLOR[p.status]}>{t(`screening.policyStatus.${p.status}`)}</Tag>
              {p.receiving ? <Tag color="blue">{t('screening.receiving')}</Tag> : null}
              {p.amountFen !== null ? <Tag>{amountText(p.amountFen, p.amountUnit, en)}</Tag> : null}
              <pre className="trace-text">{p.traceZh}</pre>
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}

export function ScreeningDrawer({
  runId,
  result,
  onClose,
}: {
  runId: string;
  result: ScreeningResult;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const detail = useLoad(() => householdDetail(runId, result.householdId), [runId, result.householdId]);
  // While the drawer is open, printing prints the prescription only.
  useEffect(() => {
    document.body.classList.add('print-prescription');
    return () => document.body.classList.remove('print-prescription');
  }, []);
  const economy = detail.data?.economySource ?? 'none';
  return (
    <Drawer
      open
      size="large"
      onClose={onClose}
      title={t('screening.drawerTitle', { name: result.headName ?? result.householdNumber })}
      extra={
        <Button
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          disabled={!detail.data}
          data-testid="prescription-print"
        >
          {t('screening.print')}
        </Button>
      }
      data-testid="screening-drawer"
    >
      {detail.error ? <Alert type="error" showIcon title={errorText(detail.error)} /> : null}
      {!detail.data && !detail.error ? <Spin /> : null}
      {detail.data ? (
        <>
          {detail.data.catalogChanged ? (
            <Alert
              type="warning"
              showIcon
              title={t('screening.catalogChanged')}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <Typography.Paragraph type="secondary">
            {t(`screening.economySource.${economy}`)}
            {detail.data.economyAsOf ? `（${detail.data.economyAsOf}）` : ''}
          </Typography.Paragraph>
          <Tabs
            items={[
              {
                key: 'prescription',
                label: t('screening.tabPrescription'),
                children: <Prescription detail={detail.data} />,
              },
              { key: 'trace', label: t('screening.tabTrace'), children: <Trace detail={detail.data} /> },
            ]}
          />
        </>
      ) : null}
    </Drawer>
  );
}
