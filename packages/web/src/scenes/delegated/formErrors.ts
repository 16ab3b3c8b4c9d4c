import type { FormInstance } from 'antd';
import { ApiError, errorText } from '../../api/client';

/**
 * Puts a server message under the field it names: nested paths ("subjects.0.idNumber" →
 * ['subjects', 0, 'idNumber']) and renamed ones (`renames`: server field → form field). Returns
 * false when the field is not one the form shows (the caller toasts the message).
 */
export function showNestedError(
  form: FormInstance,
  error: unknown,
  shown: string[],
  renames: Record<string, string> = {},
): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const field = renames[error.field] ?? error.field;
  const name = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (!shown.includes(String(name[0]))) return false;
  form.setFields([{ name, errors: [errorText(error)] }]);
  return true;
}
