import type { FormInstance } from 'antd';
import { ApiError, errorText } from '../api/client';

/**
 * Puts a server validation message under the field it names (the API sends `field`), so a
 * caseworker sees "用户名 huayuan 已被使用" next to the username box, not in a corner toast.
 * The server may name a nested field ("head.idNumber", "members[0].idNumber"); the forms are
 * flat, so the last part is the field. Returns false when the error names no field of this form,
 * for the caller to show it otherwise.
 */
export function showFieldError(form: FormInstance, error: unknown, fields: string[]): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const name =
    error.field
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? '';
  if (!fields.includes(name)) return false;
  form.setFields([{ name, errors: [errorText(error)] }]);
  form.scrollToField(name);
  return true;
}
