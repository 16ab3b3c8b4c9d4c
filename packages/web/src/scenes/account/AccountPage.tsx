/** /account — the signed-in person's profile and the password change form. */
import { Card, Col, Descriptions, Row, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../auth/AccountContext';
import { departmentName, formatTime, roleName } from '../../components/labels';
import { ChangePasswordForm } from './ChangePasswordForm';

export default function AccountPage() {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={t('account.profile')}>
          <Descriptions
            column={1}
            size="small"
            data-testid="account-profile"
            items={[
              {
                key: 'displayName',
                label: t('account.displayName'),
                children: account.displayName,
              },
              { key: 'username', label: t('account.username'), children: account.username },
              {
                key: 'role',
                label: t('account.role'),
                children: roleName(t, account.role),
              },
              {
                key: 'department',
                label: t('account.department'),
                children: departmentName(t, account.department),
              },
              { key: 'region', label: t('account.region'), children: account.regionName },
              {
                key: 'createdAt',
                label: t('account.createdAt'),
                children: formatTime(account.createdAt, i18n.language),
              },
              {
                key: 'permissions',
                label: t('account.permissions'),
                children: (
                  <>
                    <Space size={[4, 4]} wrap>
                      {account.permissions.map((p) => (
                        <Tag key={p} title={p}>
                          {t(`permissions.${p}`, { defaultValue: p })}
                        </Tag>
                      ))}
                    </Space>
                  </>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      {account.permissions.includes('account.changePassword') ? (
        <Col xs={24} lg={12}>
          <Card title={t('account.changePassword')}>
            <ChangePasswordForm />
          </Card>
        </Col>
      ) : null}
    </Row>
  );
}
