/** /users/:id — one user. A user outside the scope is hidden by the database: the 404 page. */
import { App, Button, Descriptions, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, call, errorText, type User } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { FullPageSpin } from '../../auth/RequireAccount';
import { DetailCard } from '../../components/DetailCard';
import { departmentName, formatTime, roleName } from '../../components/labels';
import { ApiErrorPage } from '../errors/ErrorPage';
import { UserEditDialog } from './UserEditDialog';
import { UserStatus } from './UserStatus';

export default function UserDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const loaded = useLoad(() => call(api.GET('/api/users/{id}', { params: { path: { id } } })), [id]);
  const [updated, setUpdated] = useState<User | null>(null);

  if (loaded.error) return <ApiErrorPage error={loaded.error} />;
  const user = updated?.id === id ? updated : loaded.data;
  if (!user) return <FullPageSpin />;

  const patch = async (body: { disabled?: boolean; unlock?: boolean }) => {
    try {
      setUpdated(await call(api.PATCH('/api/users/{id}', { params: { path: { id } }, body })));
      message.success(t('users.saved'));
    } catch (error) {
      message.error(errorText(error));
    }
  };

  const manage = can('user.manage');
  return (
    <DetailCard
      title={t('users.detailTitle')}
      backTo="/users"
      extra={
        manage ? (
          <Space wrap>
            <Button onClick={() => setEditing(true)} data-testid="user-edit">
              {t('common.edit')}
            </Button>
            {user.locked ? (
              <Button onClick={() => patch({ unlock: true })}>{t('users.unlock')}</Button>
            ) : null}
            {user.disabled ? (
              <Button onClick={() => patch({ disabled: false })}>{t('users.enable')}</Button>
            ) : (
              <Popconfirm title={t('users.disableConfirm')} onConfirm={() => patch({ disabled: true })}>
                <Button danger>{t('users.disable')}</Button>
              </Popconfirm>
            )}
          </Space>
        ) : null
      }
    >
      <Descriptions
        column={{ xs: 1, md: 2 }}
        bordered
        size="small"
        data-testid="user-detail"
        items={[
          { key: 'displayName', label: t('users.displayName'), children: user.displayName },
          { key: 'username', label: t('users.username'), children: user.username },
          { key: 'role', label: t('users.role'), children: roleName(t, user.role) },
          {
            key: 'department',
            label: t('users.department'),
            children: departmentName(t, user.department),
          },
          { key: 'region', label: t('users.region'), children: user.regionName },
          {
            key: 'status',
            label: t('users.status'),
            children: (
              <>
                <UserStatus user={user} />
              </>
            ),
          },
          {
            key: 'createdAt',
            label: t('users.createdAt'),
            children: formatTime(user.createdAt, i18n.language),
          },
        ]}
      />
      {editing ? (
        <UserEditDialog
          user={user}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setUpdated(saved);
            setEditing(false);
          }}
        />
      ) : null}
    </DetailCard>
  );
}
