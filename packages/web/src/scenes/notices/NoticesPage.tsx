/**
 * /notices — public notices in scope: the cases waiting for their notice (post with the proposed
 * amount), the notices with their objection counts, and a drawer with the objections (anonymous ones
 * without a name) and a button to object.
 */
import {
  Alert,
  Button,
  Card,
  Drawer,
  Form,
  InputNumber,
  List,
  Modal,
  message,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccount } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { yuan } from '../resident/residentApi';
import { casesAtNoticeStep, getNotice, listNotices, type PublicNotice, postNotice } from './noticesApi';
import { ObjectionDialog } from './ObjectionDialog';

function NoticeDrawer({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const [objecting, setObjecting] = useState(false);
  const notice = useLoad(() => getNotice(id), [id]);
  const n = notice.data;
  return (
    <Drawer open title={t('notices.detail')} onClose={onClose} size="large">
      {notice.error ? <Alert type="error" title={errorText(notice.error)} /> : null}
      {n ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>
            {n.headName}（{n.idNumberMasked}），{n.householdSize}人，¥{yuan(n.proposedAmountFen)}/月
          </Typography.Text>
          <Typography.Text>
            {n.regionName} · {n.startsOn} — {n.endsOn} ·{' '}
            {t('notices.days', { days: n.days, kind: t(`notices.dayKind.${n.dayKind}`) })}
          </Typography.Text>
          <Card size="small" title={t('notices.objections')}>
            {n.objections.length === 0 ? (
              <Typography.Text type="secondary">{t('notices.noObjections')}</Typography.Text>
            ) : (
              <List
                dataSource={n.objections}
                renderItem={(o) => (
                  <List.Item>
                    <List.Item.Meta
                      title={o.anonymous ? t('notices.anonymous') : o.objectorName}
                      description={`${o.createdAt.slice(0, 10)} · ${o.reason}`}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
          {n.status === 'open' ? (
            <Button onClick={() => setObjecting(true)} data-testid="notice-object">
              {t('notices.object')}
            </Button>
          ) : null}
        </Space>
      ) : null}
      {objecting ? (
        <ObjectionDialog
          noticeId={id}
          onClose={(submitted) => {
            setObjecting(false);
            if (submitted) notice.reload();
          }}
        />
      ) : null}
    </Drawer>
  );
}

function PendingCases({ onPosted }: { onPosted(): void }) {
  const { t, i18n } = useTranslation();
  const pending = useLoad(() => casesAtNoticeStep(), []);
  const [posting, setPosting] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const post = async () => {
    if (!posting || amount === null) return;
    setBusy(true);
    try {
      await postNotice(posting, Math.round(amount * 100));
      void message.success(t('notices.published'));
      setPosting(null);
      pending.reload();
      onPosted();
    } catch (error) {
      void message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('notices.pending')} data-testid="notices-pending">
      <Typography.Paragraph type="secondary">{t('notices.pendingHint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        loading={pending.loading}
        dataSource={pending.data ?? []}
        locale={{ emptyText: t('notices.noPending') }}
        columns={[
          {
            title: t('intake.columns.policy'),
            render: (_, c) => (i18n.language === 'en' ? c.policyNameEn : c.policyName),
          },
          { title: t('intake.columns.received'), dataIndex: 'receivedOn' },
          {
            title: '',
            render: (_, c) => (
              <Button
                size="small"
                type="primary"
                onClick={() => {
                  setPosting(c.id);
                  setAmount(null);
                }}
              >
                {t('notices.publish')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!posting}
        title={t('notices.publish')}
        onOk={post}
        confirmLoading={busy}
        onCancel={() => setPosting(null)}
        okButtonProps={{ disabled: amount === null }}
      >
        <Form layout="vertical">
          <Form.Item label={t('notices.amountYuan')} required>
            <InputNumber
              min={0}
              max={1_000_000}
              precision={2}
              value={amount}
              onChange={setAmount}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

export default function NoticesPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const [status, setStatus] = useState<'open' | 'closed' | undefined>('open');
  const [page, setPage] = useState(1);
  const [opened, setOpened] = useState<string | null>(null);
  const notices = useLoad(() => listNotices(status, page), [status, page]);
  if (notices.error) return <ApiErrorPage error={notices.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('notices.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('notices.hint')}</Typography.Text>
      {account.permissions.includes('intake.handle') ? <PendingCases onPosted={notices.reload} /> : null}
      <Segmented
        value={status ?? 'all'}
        onChange={(v) => {
          setStatus(v === 'all' ? undefined : (v as 'open' | 'closed'));
          setPage(1);
        }}
        options={[
          { value: 'open', label: t('notices.status.open') },
          { value: 'closed', label: t('notices.status.closed') },
          { value: 'all', label: t('notices.filterAll') },
        ]}
      />
      <Table<PublicNotice>
        rowKey="id"
        data-testid="notices-table"
        loading={notices.loading}
        dataSource={notices.data?.items ?? []}
        onRow={(n) => ({ onClick: () => setOpened(n.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: 20,
          total: notices.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('notices.columns.name'), dataIndex: 'headName' },
          { title: t('notices.columns.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('notices.columns.size'), dataIndex: 'householdSize' },
          { title: t('notices.columns.amount'), render: (_, n) => yuan(n.proposedAmountFen) },
          { title: t('notices.columns.period'), render: (_, n) => `${n.startsOn} — ${n.endsOn}` },
          { title: t('notices.columns.region'), dataIndex: 'regionName' },
          {
            title: t('notices.columns.objections'),
            render: (_, n) => (n.objectionCount ? <Tag color="red">{n.objectionCount}</Tag> : 0),
          },
          {
            title: t('notices.columns.status'),
            render: (_, n) => <Tag>{t(`notices.status.${n.status}`)}</Tag>,
          },
        ]}
      />
      {opened ? (
        <NoticeDrawer
          id={opened}
          onClose={() => {
            setOpened(null);
            notices.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
