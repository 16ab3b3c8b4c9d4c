import { useTranslation } from 'react-i18next';
import { api, call, type User } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { USER_FIELDS, UserFields, type UserFormValues } from './UserFields';

interface Props {
  user: User;
  onClose(): void;
  onSaved(user: User): void;
}

/** Edits name, role and department; username and region stay as created (the API does not change them). */
export function UserEditDialog({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <FormDialog<UserFormValues, User>
      title={t('users.editTitle')}
      fields={USER_FIELDS}
      initialValues={{ displayName: user.displayName, role: user.role, department: user.department }}
      successMessage={t('users.saved')}
      onClose={onClose}
      onSaved={onSaved}
      onSave={(values) =>
        call(
          api.PATCH('/api/users/{id}', {
            params: { path: { id: user.id } },
            body: {
              displayName: values.displayName.trim(),
              role: values.role,
              department: values.role === 'departmentOfficer' ? (values.department ?? null) : null,
            },
          }),
        )
      }
    >
      <UserFields creating={false} />
    </FormDialog>
  );
}
