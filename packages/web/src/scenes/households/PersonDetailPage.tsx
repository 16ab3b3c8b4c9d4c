/** /persons/:id — one person: identity (masked), household, attributes in force and their history. */
import { Button, Card, Col, Descriptions, Row, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { DetailCard } from '../../components/DetailCard';
import { RegionName } from '../../components/RegionName';
import { ApiErrorPage } from '../errors/ErrorPage';
import { AttributeDialog } from './AttributeDialog';
import { HistoryTimeline } from './HistoryTimeline';
import { getPerson } from './householdsApi';
import { EditPersonDialog, TransferDialog } from './RegistryDialogs';
import { MaskedValue } from './RevealButton';
import { AttributeTags, relationshipName, sexName } from './registryLabels';

type Dialog = 'edit' | 'attribute' | 'transfer' | null;

export default function PersonDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const [dialog, setDialog] = useState<Dialog>(null);
  const loaded = useLoad(() => getPerson(id), [id]);

  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const person = loaded.data;
  if (!person) return <FullPageSpin />;
  const write = can('registry.write');
  const done = () => {
    setDialog(null);
    loaded.reload();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <DetailCard
        title={person.name}
        extra={
          <Space wrap>
            {write ? (
              <>
                <Button onClick={() => setDialog('edit')} data-testid="person-edit">
                  {t('common.edit')}
                </Button>
                <Button onClick={() => setDialog('attribute')} data-testid="attribute-record">
                  {t('registry.attribute.record')}
                </Button>
                <Button onClick={() => setDialog('transfer')} data-testid="person-transfer">
                  {t('registry.transfer.button')}
                </Button>
              </>
            ) : null}
            {/* Auditors go from a person to who has seen their personal data. */}
            {can('personalData.accessLogRead') ? (
              <Link to={`/registry/access-log?person=${person.id}`} data-testid="person-access-log">
                {t('registry.accessLog.open')}
              </Link>
            ) : null}
          </Space>
        }
      >
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          bordered
          size="small"
          data-testid="person-detail"
          items={[
            { key: 'name', label: t('registry.member.name'), children: person.name },
            { key: 'sex', label: t('registry.member.sex'), children: sexName(t, person.sex) },
            {
              key: 'birth',
              label: t('registry.member.birthDate'),
              children: `${person.birthDate}（${person.age}）`,
            },
            {
              key: 'id',
              label: t('registry.member.idNumber'),
              children: <MaskedValue personId={person.id} field="idNumber" masked={person.idNumberMasked} />,
            },
            {
              key: 'phone',
              label: t('registry.member.phone'),
              children: <MaskedValue personId={person.id} field="phone" masked={person.phoneMasked} />,
            },
            {
              key: 'household',
              label: t('registry.member.household'),
              children: (
                <Link to={`/households/${person.householdId}`}>
                  {person.householdNumber} · {relationshipName(t, person.relationshipToHead)}
                </Link>
              ),
            },
            {
              key: 'hukou',
              label: t('registry.member.hukouRegion'),
              children: <RegionName code={person.hukouRegionCode} />,
            },
            {
              key: 'residence',
              label: t('registry.member.residenceRegion'),
              children: <RegionName code={person.residenceRegionCode} />,
            },
          ]}
        />
      </DetailCard>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('registry.member.attributes')} size="small">
            <AttributeTags attributes={person.attributes ?? {}} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('registry.household.history')} size="small">
            <HistoryTimeline entries={person.history ?? []} />
          </Card>
        </Col>
      </Row>
      {dialog === 'edit' ? (
        <EditPersonDialog person={person} onClose={() => setDialog(null)} onSaved={done} />
      ) : null}
      {dialog === 'attribute' ? (
        <AttributeDialog personId={person.id} onClose={() => setDialog(null)} onSaved={done} />
      ) : null}
      {dialog === 'transfer' ? (
        <TransferDialog person={person} onClose={() => setDialog(null)} onSaved={done} />
      ) : null}
    </Space>
  );
}
