/**
 * Delegated requests as a table: a department sees its own, the centre every request in its region
 * and, on the queue, completes or refuses them.
 */
import { App, Button, Input, Modal, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { departmentName } from '../../components/labels';
import { completeRequest, type DelegatedRequest, listRequests, refuseRequest } from './delegatedApi';

const COLOURS = { requested: 'processing', completed: 'success', refused: 'error' } as const;

export function DelegatedList(props: { status?: 'requested'; centre: boolean; round: number }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const loaded = useLoad(() => listRequests(props.status), [props.status, props.round]);
  const [refusing, setRefusing] = useState<DelegatedRequest | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const d = (k: string) => t(`delegated.${k}`);

  const act = async (id: string, work: () => Promise<unknown>, done: string) => {
    setBusy(id);
    try {
      await work();
      message.success(done);
      loaded.reload();
      return true;
    } catch (error) {
      message.error(errorText(error));
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Table<DelegatedRequest>
        size="small"
        rowKey="id"
        loading={loaded.loading}
        dataSource={loaded.data ?? []}
        data-testid="delegated-list"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          {
            key: 'at',
            title: d('columns.requestedAt'),
            render: (_, r) => dayjs(r.requestedAt).format('YYYY-MM-DD HH:mm'),
          },
          { key: 'dept', title: d('columns.department'), render: (_, r) => departmentName(t, r.department) },
          {
            key: 'purpose',
            title: d('columns.purpose'),
            render: (_, r) => (en ? r.purposeName.en : r.purposeName.zh),
          },
          {
            key: 'subjects',
            title: d('columns.subjects'),
            render: (_, r) => r.subjects.map((s) => `${s.name} ${s.idNumberMasked}`).join('；'),
          },
          {
            key: 'status',
            title: d('columns.status'),
            render: (_, r) =>
              r.expired ? (
                <Tag>{d('expired')}</Tag>
              ) : (
                <Tag color={COLOURS[r.status]}>{d(`status.${r.status}`)}</Tag>
              ),
          },
          { key: 'asOf', title: d('columns.asOf'), render: (_, r) => r.asOf ?? '—' },
          { key: 'exp', title: d('columns.expiresOn'), render: (_, r) => r.expiresOn ?? '—' },
          {
            key: 'actions',
            title: d('columns.actions'),
            render: (_, r) => (
              <Space wrap>
                <Link to={`/delegated/${r.id}`}>{d('open')}</Link>
                {props.centre && r.status === 'requested' ? (
                  <>
                    <Button
                      size="small"
                      type="primary"
                      loading={busy === r.id}
                      data-testid="delegated-complete"
                      onClick={() => act(r.id, () => completeRequest(r.id), d('completed'))}
                    >
                      {d('complete')}
                    </Button>
                    <Button size="small" danger onClick={() => setRefusing(r)}>
                      {d('refuse')}
                    </Button>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={refusing !== null}
        title={d('refuse')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        onCancel={() => setRefusing(null)}
        onOk={async () => {
          if (
            refusing &&
            (await act(refusing.id, () => refuseRequest(refusing.id, reason), d('status.refused')))
          ) {
            setRefusing(null);
            setReason('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={d('refuseReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
