/** The members of a household: relationship, age, sex, masked ID and phone, attributes in force. */
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Member } from './householdsApi';
import { MaskedValue } from './RevealButton';
import { AttributeTags, relationshipName, sexName } from './registryLabels';

export function MembersTable({ members }: { members: Member[] }) {
  const { t } = useTranslation();
  return (
    <Table<Member>
      rowKey="id"
      size="small"
      dataSource={members}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="members-table"
      columns={[
        {
          title: t('registry.member.name'),
          dataIndex: 'name',
          fixed: 'left',
          render: (name: string, row) => (
            <Link to={`/persons/${row.id}`} data-testid="member-link">
              {name}
            </Link>
          ),
        },
        {
          title: t('registry.member.relationship'),
          dataIndex: 'relationshipToHead',
          render: (value: string) => relationshipName(t, value),
        },
        { title: t('registry.member.sex'), dataIndex: 'sex', render: (value: string) => sexName(t, value) },
        { title: t('registry.member.age'), dataIndex: 'age', align: 'right' },
        {
          title: t('registry.member.idNumber'),
          dataIndex: 'idNumberMasked',
          render: (masked: string, row) => <MaskedValue personId={row.id} field="idNumber" masked={masked} />,
        },
        {
          title: t('registry.member.phone'),
          dataIndex: 'phoneMasked',
          responsive: ['md'],
          render: (masked: string | null, row) => (
            <MaskedValue personId={row.id} field="phone" masked={masked} />
          ),
        },
        {
          title: t('registry.member.attributes'),
          dataIndex: 'attributes',
          render: (_, row) => <AttributeTags attributes={row.attributes ?? {}} />,
        },
      ]}
    />
  );
}
