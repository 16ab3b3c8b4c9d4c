/** One enrolment: figures, its tasks (decide or finish the open ones), and a form to propose a change. */
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  message,
  Select,
  Space,
  Tag,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useAccount } from '../../auth/AccountContext';
import { newIdempotencyKey, yuan } from '../resident/residentApi';
import {
  CHANGE_KINDS,
  decideTask,
  type EnrolmentTask,
  getEnrolment,
  LEGAL_GROUNDS,
  proposeChange,
} from './enrolmentApi';

interface ChangeValues {
  kind: (typeof CHANGE_KINDS)[number];
  legalGround: (typeof LEGAL_GROUNDS)[number];
  reason: string;
  newAmountYuan?: number;
  phaseOutMonths?: number;
}

function TaskActions({ task, onDone }: { task: EnrolmentTask; onDone(): void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const act = async (decision: 'approve' | 'reject' | 'done') => {
    try {
      await decideTask(task.id, decision, task.version, note.trim() || undefined);
      void message.success(t('enrolment.saved'));
      onDone();
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  const review = task.kind === 'review' || task.kind === 'recheck';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.TextArea
        rows={2}
        placeholder={t('enrolment.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={1000}
      />
      <Space>
        {review ? (
          <Button type="primary" onClick={() => act('done')}>
            {t('enrolment.done')}
          </Button>
        ) : (
          <>
            <Button type="primary" onClick={() => act('approve')}>
              {t('enrolment.approve')}
            </Button>
            <Button danger onClick={() => act('reject')}>
              {t('enrolment.reject')}
            </Button>
          </>
        )}
      </Space>
    </Space>
  );
}

export function EnrolmentDrawer({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const account = useAccount();
  const canChange = account.permissions.includes('enrolment.change');
  const loaded = useLoad(() => getEnrolment(id), [id]);
  const [form] = Form.useForm<ChangeValues>();
  const kind = Form.useWatch('kind', form);
  const [keyRound, setKeyRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key after each successful proposal.
  const key = useMemo(() => newIdempotencyKey(), [keyRound]);
  const [failure, setFailure] = useState<unknown>(null);
  const e = loaded.data;

  const propose = async (v: ChangeValues) => {
    setFailure(null);
    try {
      await proposeChange(
        id,
        {
          kind: v.kind,
          legalGround: v.legalGround,
          reason: v.reason,
          ...(v.newAmountYuan !== undefined && (v.kind === 'increase' || v.kind === 'cut')
            ? { newAmountFen: Math.round(v.newAmountYuan * 100) }
            : {}),
          ...(v.kind === 'phaseOut' && v.phaseOutMonths ? { phaseOutMonths: v.phaseOutMonths } : {}),
        },
        key,
      );
      form.resetFields();
      setKeyRound((r) => r + 1);
      loaded.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <Drawer open title={t('enrolment.detail')} onClose={onClose} size="large">
      {loaded.error ? <Alert type="error" title={errorText(loaded.error)} /> : null}
      {e ? (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('enrolment.columns.household')}>
              {e.householdNumber}
            </Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.head')}>{e.headName}</Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.category')}>
              {t(`resident.category.${e.category}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.amount')}>
              {e.monthlyAmountFen === null ? t('resident.portal.amountPending') : yuan(e.monthlyAmountFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.startsOn')}>{e.startsOn}</Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.nextReview')}>
              {e.nextReviewOn}（{t('enrolment.reviewEvery', { months: e.reviewMonths })}）
            </Descriptions.Item>
            <Descriptions.Item label={t('enrolment.columns.status')}>
              {t(`resident.enrolmentStatus.${e.status}`)} {e.phaseOutUntil ? `→ ${e.phaseOutUntil}` : ''}
              {e.endedOn ? ` ${e.endedOn} ${e.endReason ?? ''}` : ''}
            </Descriptions.Item>
          </Descriptions>
          <List
            header={t('enrolment.tasks')}
            dataSource={e.tasks}
            locale={{ emptyText: t('enrolment.noTasks') }}
            renderItem={(task) => (
              <List.Item>
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Space wrap>
                    <Tag color="blue">{t(`enrolment.kind.${task.kind}`)}</Tag>
                    <Tag>{t(`enrolment.taskStatus.${task.status}`)}</Tag>
                    <span>{task.dueOn}</span>
                    {task.newAmountFen !== null ? <span>→ ¥{yuan(task.newAmountFen)}</span> : null}
                  </Space>
                  {task.reason ? <span>{task.reason}</span> : null}
                  {task.legalGround ? (
                    <span style={{ color: 'rgba(0,0,0,0.55)' }}>{task.legalGround}</span>
                  ) : null}
                  {task.decisionNote ? (
                    <span>
                      {task.decidedByName}：{task.decisionNote}
                    </span>
                  ) : null}
                  {task.status === 'open' && canChange ? (
                    <TaskActions task={task} onDone={loaded.reload} />
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
          {canChange && e.status !== 'stopped' ? (
            <Form form={form} layout="vertical" onFinish={propose} data-testid="enrolment-change-form">
              <Form.Item name="kind" label={t('enrolment.changeKind')} rules={[{ required: true }]}>
                <Select options={CHANGE_KINDS.map((k) => ({ value: k, label: t(`enrolment.kind.${k}`) }))} />
              </Form.Item>
              <Form.Item name="legalGround" label={t('enrolment.legalGround')} rules={[{ required: true }]}>
                <Select
                  options={LEGAL_GROUNDS.map((g) => ({ value: g, label: t(`enrolment.legalGrounds.${g}`) }))}
                />
              </Form.Item>
              {kind === 'increase' || kind === 'cut' ? (
                <Form.Item
                  name="newAmountYuan"
                  label={t('enrolment.newAmountYuan')}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={0} max={1_000_000} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
              {kind === 'phaseOut' ? (
                <Form.Item
                  name="phaseOutMonths"
                  label={t('enrolment.phaseOutMonths')}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={1} max={6} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
              <Form.Item
                name="reason"
                label={t('enrolment.reason')}
                rules={[{ required: true, min: 4, whitespace: true }]}
              >
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              {failure ? (
                <Alert type="error" title={errorText(failure)} style={{ marginBottom: 12 }} />
              ) : null}
              <Button type="primary" htmlType="submit">
                {t('enrolment.submitChange')}
              </Button>
            </Form>
          ) : null}
        </Space>
      ) : null}
    </Drawer>
  );
}
