/** /registry/duplicates — persons that look registered twice, side by side; merge with a reason. */
import { SwapOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { ApiErrorPage } from '../errors/ErrorPage';
import { sexName } from '../households/registryLabels';
import { type DuplicatePair, type DuplicatePerson, listDuplicates, mergeDuplicates } from './duplicatesApi';

export default function DuplicatesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const pairs = useLoad(listDuplicates, []);
  const [merging, setMerging] = useState<{ keep: DuplicatePerson; remove: DuplicatePerson } | null>(null);

  if (pairs.error) return <ApiErrorPage error={pairs.error} />;
  if (!pairs.data) return <FullPageSpin />;

  return (
    <Card title={t('registry.duplicates.title')}>
      <Typography.Paragraph type="secondary">{t('registry.duplicates.intro')}</Typography.Paragraph>
      {pairs.data.length === 0 ? <Empty description={t('registry.duplicates.none')} /> : null}
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="duplicates">
        {pairs.data.map((pair) => (
          <PairCard
            key={`${pair.a.id}-${pair.b.id}`}
            pair={pair}
            canMerge={can('registry.merge')}
            onMerge={(keep, remove) => setMerging({ keep, remove })}
          />
        ))}
      </Space>
      {merging ? (
        <MergeDialog
          {...merging}
          onClose={() => setMerging(null)}
          onMerged={() => {
            setMerging(null);
            pairs.reload();
          }}
        />
      ) : null}
    </Card>
  );
}

function PairCard({
  pair,
  canMerge,
  onMerge,
}: {
  pair: DuplicatePair;
  canMerge: boolean;
  onMerge(keep: DuplicatePerson, remove: DuplicatePerson): void;
}) {
  const { t } = useTranslation();
  const [flipped, setFlipped] = useState(false);
  const [keep, remove] = flipped ? [pair.b, pair.a] : [pair.a, pair.b];
  return (
    <Card
      size="small"
      type="inner"
      title={
        <Space wrap>
          {pair.regionName}
          <Tag color="orange">
            {t(`registry.duplicates.reasons.${pair.reason}`, { defaultValue: pair.reason })}
          </Tag>
        </Space>
      }
      extra={
        canMerge ? (
          <Space>
            <Button
              icon={<SwapOutlined />}
              onClick={() => setFlipped(!flipped)}
              aria-label={t('registry.duplicates.swap')}
            />
            <Button type="primary" danger onClick={() => onMerge(keep, remove)} data-testid="merge">
              {t('registry.duplicates.merge')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <PersonCard person={keep} label={t('registry.duplicates.keep')} color="green" />
        </Col>
        <Col xs={24} md={12}>
          <PersonCard person={remove} label={t('registry.duplicates.remove')} color="red" />
        </Col>
      </Row>
    </Card>
  );
}

function PersonCard({ person, label, color }: { person: DuplicatePerson; label: string; color: string }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      title={
        <Space>
          <Tag color={color}>{label}</Tag>
          <Link to={`/persons/${person.id}`}>{person.name}</Link>
        </Space>
      }
      items={[
        { key: 'id', label: t('registry.member.idNumber'), children: person.idNumberMasked },
        { key: 'sex', label: t('registry.member.sex'), children: sexName(t, person.sex) },
        { key: 'birth', label: t('registry.member.birthDate'), children: person.birthDate },
        {
          key: 'household',
          label: t('registry.member.household'),
          children: person.householdId ? (
            <Link to={`/households/${person.householdId}`}>{person.householdNumber ?? '—'}</Link>
          ) : (
            '—'
          ),
        },
      ]}
    />
  );
}

/** Duplicates share a name, so the household tells them apart. */
const label = (p: DuplicatePerson) => `${p.name}（${p.householdNumber ?? '—'}）`;

function MergeDialog({
  keep,
  remove,
  onClose,
  onMerged,
}: {
  keep: DuplicatePerson;
  remove: DuplicatePerson;
  onClose(): void;
  onMerged(): void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  // The reason first, then a second, explicit confirmation: a merge cannot be undone.
  const submit = ({ reason }: { reason: string }) =>
    modal.confirm({
      title: t('registry.duplicates.mergeTitle'),
      content: t('registry.duplicates.mergeConfirm', { keep: label(keep), remove: label(remove) }),
      okText: t('registry.duplicates.merge'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await mergeDuplicates(keep.id, remove.id, reason.trim());
          message.success(t('registry.duplicates.merged'));
          onMerged();
        } catch (error) {
          message.error(errorText(error));
        }
      },
    });
  return (
    <Modal
      open
      title={t('registry.duplicates.mergeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('registry.duplicates.merge')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
    >
      <Typography.Paragraph>
        {t('registry.duplicates.mergeConfirm', { keep: label(keep), remove: label(remove) })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('registry.duplicates.mergeReason')}
          rules={[
            { required: true, whitespace: true, message: t('registry.duplicates.mergeReasonRequired') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
