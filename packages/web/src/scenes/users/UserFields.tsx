/** The form fields of a user, shared by the create page and the edit dialog. */
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../api/client';
import { DEPARTMENTS, departmentName, ROLES, roleName } from '../../components/labels';
import { RegionTreeSelect } from '../../components/RegionTreeSelect';

// The server's rules (users.service.ts, password.ts), repeated so mistakes show before sending.
const USERNAME = /^[A-Za-z0-9_.@-]{3,64}$/;
const PASSWORD = /^(?=.*[A-Za-z])(?=.*\d).{10,128}$/;

export interface UserFormValues {
  displayName: string;
  username: string;
  role: Role;
  department?: string | null;
  regionCode: string;
  password: string;
}

export function UserFields({ creating }: { creating: boolean }) {
  const { t } = useTranslation();
  const role = Form.useWatch<Role | undefined>('role');
  return (
    <>
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 100 }]}
      >
        <Input maxLength={100} data-testid="field-displayName" />
      </Form.Item>
      {creating ? (
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[
            { required: true, message: t('users.usernameRequired') },
            { pattern: USERNAME, message: t('users.usernameRule') },
          ]}
        >
          <Input autoComplete="off" data-testid="field-username" />
        </Form.Item>
      ) : null}
      <Form.Item
        name="role"
        label={t('users.role')}
        rules={[{ required: true, message: t('users.roleRequired') }]}
      >
        <Select<Role>
          options={ROLES.map((r) => ({ value: r, label: roleName(t, r) }))}
          data-testid="field-role"
        />
      </Form.Item>
      {role === 'departmentOfficer' ? (
        <Form.Item
          name="department"
          label={t('users.department')}
          rules={[{ required: true, message: t('users.departmentRequired') }]}
        >
          <Select options={DEPARTMENTS.map((d) => ({ value: d, label: departmentName(t, d) }))} />
        </Form.Item>
      ) : null}
      {creating ? (
        <>
          <Form.Item
            name="regionCode"
            label={t('users.region')}
            rules={[{ required: true, message: t('users.regionRequired') }]}
          >
            <RegionTreeSelect />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('users.password')}
            extra={t('account.passwordRule')}
            rules={[
              { required: true, message: t('users.passwordRequired') },
              { pattern: PASSWORD, message: t('users.passwordRule') },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="field-password" />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

export const USER_FIELDS = ['displayName', 'username', 'role', 'department', 'regionCode', 'password'];
