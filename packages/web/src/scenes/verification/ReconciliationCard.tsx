/**
 * Take-highest reconciliation (就高原则) for one household and date: each figure's declared,
 * home-visit and verified values, the highest marked with its source; an officer may type another
 * value only together with a reason (the server refuses it otherwise), then approves.
 */
import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { fenFromYuan, yuan } from '../households/registryLabels';
import { approve, getReconciliation, type Reconciliation } from './verificationApi';

type Figure = Reconciliation['figures'][number];
const FROM_COLOR: Record<string, string> = {
  declared: 'default',
  homeVisit: 'cyan',
  verified: 'blue',
  override: 'orange',
};

function shown(f: Figure, v: number | null): string {
  if (v === null) return '—';
  return f.unit === 'count' ? String(v) : yuan(v);
}

/** What the officer typed, in the figure's unit; undefined when it is not a value. */
function parsed(f: Figure, text: string): number | undefined {
  if (f.unit === 'count') return /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  return fenFromYuan(text);
}

export function ReconciliationCard(props: { householdId: string; asOf: string; canApprove: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const en = i18n.language === 'en';
  const loaded = useLoad(
    () => getReconciliation(props.householdId, props.asOf),
    [props.householdId, props.asOf],
  );
  const [edits, setEdits] = useState<Record<string, { value: string; reason: string }>>({});
  const [saving, setSaving] = useState(false);
  const view = loaded.data;
  const r = (key: string) => t(`verification.reconcile.${key}`);
  const edit = (name: string, patch: Partial<{ value: string; reason: string }>) =>
    setEdits((e) => ({ ...e, [name]: { value: '', reason: '', ...e[name], ...patch } }));

  const submit = async () => {
    if (!view) return;
    const overrides: Record<string, { value: number; reason: string }> = {};
    for (const f of view.figures) {
      const e = edits[f.name];
      if (!e || e.value.trim() === '') continue;
      const value = parsed(f, e.value);
      if (value === undefined) {
        message.error(`${en ? f.labelEn : f.label}: ${r('override')}?`);
        return;
      }
      overrides[f.name] = { value, reason: e.reason };
    }
    setSaving(true);
    try {
      await approve(props.householdId, props.asOf, overrides);
      message.success(r('done'));
      setEdits({});
      loaded.reload();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  const figures = view?.approval?.figures ?? view?.figures ?? [];
  return (
    <Card size="small" title={r('title')} loading={!view && !loaded.error} data-testid="reconciliation">
      {loaded.error ? <Typography.Text type="danger">{errorText(loaded.error)}</Typography.Text> : null}
      {view ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{r('hint')}</Typography.Text>
          <Typography.Text>
            {view.declaredAsOf ? t('verification.reconcile.declaredOn', { date: view.declaredAsOf }) : null}
            {view.declaredAsOf ? '　' : null}
            {view.homeVisit
              ? t('verification.reconcile.visit', {
                  date: view.homeVisit.visitedOn,
                  investigators: view.homeVisit.investigators.join('、'),
                })
              : r('noVisit')}
          </Typography.Text>
          <Typography.Text type={view.approval ? 'success' : 'warning'} data-testid="approval-status">
            {view.approval
              ? t('verification.reconcile.approved_at', {
                  at: dayjs(view.approval.approvedAt).format('YYYY-MM-DD HH:mm'),
                  by: view.approval.approvedBy,
                })
              : r('notApproved')}
          </Typography.Text>
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            scroll={{ x: true }}
            dataSource={figures}
            columns={[
              { title: r('figure'), render: (_, f) => (en ? f.labelEn : f.label) },
              { title: r('declared'), align: 'right', render: (_, f) => shown(f, f.declared) },
              { title: r('homeVisit'), align: 'right', render: (_, f) => shown(f, f.homeVisit) },
              { title: r('verified'), align: 'right', render: (_, f) => shown(f, f.verified) },
              {
                title: r('approved'),
                align: 'right',
                render: (_, f) => (
                  <Space size={4}>
                    <strong>{shown(f, f.approved)}</strong>
                    {f.approvedFrom ? (
                      <Tag color={FROM_COLOR[f.approvedFrom]}>
                        {t(`verification.reconcile.from.${f.approvedFrom}`)}
                      </Tag>
                    ) : null}
                    {f.overrideReason ? (
                      <Typography.Text type="secondary">{f.overrideReason}</Typography.Text>
                    ) : null}
                  </Space>
                ),
              },
              ...(props.canApprove
                ? [
                    {
                      title: r('override'),
                      render: (_: unknown, f: Figure) => (
                        <Space.Compact>
                          <Input
                            style={{ width: 110 }}
                            value={edits[f.name]?.value ?? ''}
                            onChange={(e) => edit(f.name, { value: e.target.value })}
                            data-testid={`override-${f.name}`}
                          />
                          <Input
                            style={{ width: 200 }}
                            placeholder={r('reason')}
                            maxLength={500}
                            value={edits[f.name]?.reason ?? ''}
                            onChange={(e) => edit(f.name, { reason: e.target.value })}
                            data-testid={`reason-${f.name}`}
                          />
                        </Space.Compact>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {props.canApprove ? (
            <Button type="primary" loading={saving} onClick={submit} data-testid="approve">
              {r('approve')}
            </Button>
          ) : null}
        </Space>
      ) : null}
    </Card>
  );
}
