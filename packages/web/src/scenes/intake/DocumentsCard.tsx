/**
 * 文书 and the decision record of a case: each numbered document with its title, issuer, date and a
 * download button (accessible name "下载 <title>"), its service (送达: date, method, recipient, and
 * the time for an appeal counted from it, and the records a correction superseded) with, for staff,
 * the receipt to print and the dialog to record or correct the service; and the decision with the policy version in force, the rules engine's trace
 * and the approved figures it was taken on. The resident portal reuses the list for its own documents.
 */
import { DownloadOutlined, EditOutlined, FileDoneOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, List, message, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import {
  type CaseDecision,
  caseDocuments,
  printReceipt,
  type StatutoryDocument,
  staffDocumentUrl,
} from './decisionsApi';
import { ServiceDialog } from './ServiceDialog';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** A button (not a link), so it is found by its role; the server answers with an attachment. */
function download(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

function ServiceLine({ d, staff }: { d: StatutoryDocument; staff: boolean }) {
  const { t } = useTranslation();
  const s = d.service;
  if (!s)
    return staff ? (
      <Tag color="orange" data-testid="document-not-served">
        {t('decisions.service.notServed')}
      </Tag>
    ) : null;
  return (
    <div data-testid="document-service">
      <Tag color="green">
        {t('decisions.service.served', {
          date: s.servedOn,
          method: t(`decisions.service.methods.${s.method}`),
          recipient: s.recipientName,
        })}
      </Tag>
      {s.appeal ? (
        <div>
          {t('decisions.service.appeal', {
            reconsideration: s.appeal.reconsiderationBy,
            litigation: s.appeal.litigationBy,
          })}
        </div>
      ) : null}
      {s.correctionReason ? (
        <div>{t('decisions.service.correctedBecause', { reason: s.correctionReason })}</div>
      ) : null}
      {s.superseded.length ? (
        <details data-testid="document-service-superseded">
          <summary>{t('decisions.service.supersededTitle', { count: s.superseded.length })}</summary>
          {s.superseded.map((old) => (
            <div key={old.id}>
              <Typography.Text delete type="secondary">
                {t('decisions.service.supersededLine', {
                  date: old.servedOn,
                  method: t(`decisions.service.methods.${old.method}`),
                  recipient: old.recipientName,
                  by: old.recordedByName,
                })}
              </Typography.Text>
              {old.correctionReason ? (
                <div>{t('decisions.service.correctedBecause', { reason: old.correctionReason })}</div>
              ) : null}
            </div>
          ))}
        </details>
      ) : null}
    </div>
  );
}

export function DocumentList({
  documents,
  urlOf,
  staff = false,
  onChanged,
}: {
  documents: readonly StatutoryDocument[];
  urlOf(id: string): string;
  /** Staff see the receipt and the record-service dialog. */
  staff?: boolean;
  onChanged?(): void;
}) {
  const { t } = useTranslation();
  const [serving, setServing] = useState<StatutoryDocument | null>(null);
  const [correcting, setCorrecting] = useState(false);
  if (documents.length === 0) return <Empty description={t('decisions.noDocuments')} />;
  const receipt = async (d: StatutoryDocument) => {
    try {
      const printed = await printReceipt(d.id);
      if (printed.receipt) download(urlOf(printed.receipt.id));
      if (!d.receipt) onChanged?.();
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  return (
    <>
      <List
        size="small"
        dataSource={[...documents]}
        renderItem={(d) => (
          <List.Item
            data-testid="document"
            actions={[
              <Button
                key="download"
                icon={<DownloadOutlined />}
                onClick={() => download(urlOf(d.id))}
                aria-label={t('decisions.downloadLabel', { title: d.title })}
              >
                {t('decisions.download')}
              </Button>,
              ...(staff
                ? [
                    <Button
                      key="receipt"
                      icon={<PrinterOutlined />}
                      onClick={() => void receipt(d)}
                      aria-label={t('decisions.service.receiptLabel', { title: d.title })}
                    >
                      {t('decisions.service.receipt')}
                    </Button>,
                    ...(d.service
                      ? [
                          <Button
                            key="correct"
                            icon={<EditOutlined />}
                            onClick={() => {
                              setCorrecting(true);
                              setServing(d);
                            }}
                            aria-label={t('decisions.service.correctLabel', { title: d.title })}
                          >
                            {t('decisions.service.correct')}
                          </Button>,
                        ]
                      : [
                          <Button
                            key="serve"
                            type="primary"
                            icon={<FileDoneOutlined />}
                            onClick={() => {
                              setCorrecting(false);
                              setServing(d);
                            }}
                            aria-label={t('decisions.service.recordLabel', { title: d.title })}
                          >
                            {t('decisions.service.record')}
                          </Button>,
                        ]),
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              title={
                <>
                  {d.title} <Tag>{t(`decisions.kind.${d.kind}`)}</Tag>
                </>
              }
              description={
                <>
                  <div>{d.number}</div>
                  <div>{t('decisions.issuedBy', { issuer: d.issuer, date: d.issuedOn })}</div>
                  <ServiceLine d={d} staff={staff} />
                </>
              }
            />
          </List.Item>
        )}
      />
      {serving ? (
        <ServiceDialog
          document={serving}
          correcting={correcting ? (serving.service ?? undefined) : undefined}
          onClose={(recorded) => {
            setServing(null);
            if (recorded) onChanged?.();
          }}
        />
      ) : null}
    </>
  );
}

function DecisionCard({ d }: { d: CaseDecision }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <Card size="small" title={t('decisions.decision')} data-testid="decision-card">
      <Descriptions size="small" column={1} bordered styles={{ label: { width: 130, whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('decisions.decidedOn')}>
          <Tag color={d.outcome === 'approved' ? 'green' : 'red'}>{t(`decisions.outcome.${d.outcome}`)}</Tag>
          {d.decidedOn}
        </Descriptions.Item>
        <Descriptions.Item label={t('decisions.decidedBy')}>{d.decidedByName}</Descriptions.Item>
        {d.amountFen !== null ? (
          <Descriptions.Item label={t('decisions.amount')}>
            {t('decisions.amountValue', { amount: yuan(d.amountFen) })}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('decisions.legalGround')}>{d.legalGround}</Descriptions.Item>
        {d.reason ? <Descriptions.Item label={t('decisions.reason')}>{d.reason}</Descriptions.Item> : null}
        <Descriptions.Item label={t('decisions.policyVersion')}>
          {d.policyVersionNo
            ? t('decisions.policyVersionValue', { no: d.policyVersionNo, from: d.policyEffectiveFrom })
            : t('decisions.baseline')}{' '}
          <Typography.Text type="secondary">
            {t('decisions.catalogVersion')} {d.catalogVersion}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('decisions.ruleResult')}>
          {t(`decisions.ruleStatus.${d.ruleStatus}`)}
          {d.ruleAmountFen !== null
            ? ` · ${t('decisions.amountValue', { amount: yuan(d.ruleAmountFen) })}`
            : ''}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {d.figuresAsOf ? t('decisions.figures', { date: d.figuresAsOf }) : t('decisions.noFigures')}
      </Typography.Title>
      {d.figures.length ? (
        <Table
          size="small"
          pagination={false}
          rowKey="name"
          dataSource={d.figures}
          columns={[
            { title: t('decisions.figureName'), render: (_, f) => (en ? f.labelEn : f.label) },
            {
              title: t('decisions.figureValue'),
              align: 'right',
              render: (_, f) => (f.unit === 'count' ? f.value : yuan(f.value)),
            },
          ]}
        />
      ) : null}
      {d.traceZh ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('decisions.trace')}
          </Typography.Title>
          <pre
            className="trace-text"
            data-testid="decision-trace"
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
          >
            {d.traceZh}
          </pre>
        </>
      ) : null}
    </Card>
  );
}

/** For the case drawer; `version` reloads the card after a transition. */
export function DocumentsCard({ caseId, version }: { caseId: string; version: number }) {
  const { t } = useTranslation();
  const [reloads, setReloads] = useState(0);
  const loaded = useLoad(() => caseDocuments(caseId), [caseId, version, reloads]);
  const data = loaded.data;
  return (
    <>
      <Card
        size="small"
        title={t('decisions.documents')}
        loading={loaded.loading && !data}
        data-testid="documents-card"
      >
        {data ? (
          <DocumentList
            documents={data.documents}
            urlOf={staffDocumentUrl}
            staff
            onChanged={() => setReloads((n) => n + 1)}
          />
        ) : null}
      </Card>
      {data?.decision ? <DecisionCard d={data.decision} /> : null}
    </>
  );
}
