/**
 * /delegated — 委托核对. A department officer files requests and reads their department's; the
 * verification centre works the queue (complete or refuse), sees every request in its region and
 * takes estate inquiries (身后一件事) at its window. Tabs follow the role; the server decides all.
 */
import { Card, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAccount } from '../../auth/AccountContext';
import { DelegatedForm } from './DelegatedForm';
import { DelegatedList } from './DelegatedList';
import { EstateTab } from './EstateTab';

export default function DelegatedPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const centre = account.role === 'verificationCentre';
  const [params, setParams] = useSearchParams();
  const [round, setRound] = useState(0);
  const d = (k: string) => t(`delegated.${k}`);
  const items = centre
    ? [
        {
          key: 'queue',
          label: d('tabs.queue'),
          children: <DelegatedList status="requested" centre round={round} />,
        },
        { key: 'all', label: d('tabs.all'), children: <DelegatedList centre round={round} /> },
        { key: 'estate', label: d('tabs.estate'), children: <EstateTab /> },
      ]
    : [
        {
          key: 'new',
          label: d('tabs.new'),
          children: (
            <DelegatedForm
              onFiled={() => {
                setRound((r) => r + 1);
                setParams({ tab: 'mine' }, { replace: true });
              }}
            />
          ),
        },
        { key: 'mine', label: d('tabs.mine'), children: <DelegatedList centre={false} round={round} /> },
      ];
  const active = items.some((i) => i.key === params.get('tab'))
    ? (params.get('tab') as string)
    : items[0]?.key;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="delegated-page">
      <Card size="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {d('title')}
        </Typography.Title>
        <Typography.Text type="secondary">{d('hint')}</Typography.Text>
      </Card>
      <Tabs activeKey={active} onChange={(tab) => setParams({ tab }, { replace: true })} items={items} />
    </Space>
  );
}
