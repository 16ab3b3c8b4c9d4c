import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/client';

export function UserStatus({ user }: { user: Pick<User, 'disabled' | 'locked'> }) {
  const { t } = useTranslation();
  if (user.disabled) return <Tag>{t('users.statusDisabled')}</Tag>;
  if (user.locked) return <Tag color="orange">{t('users.statusLocked')}</Tag>;
  return <Tag color="green">{t('users.statusActive')}</Tag>;
}
