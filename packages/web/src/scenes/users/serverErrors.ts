import type { FormInstance } from 'antd';
import { ApiError, errorText } from '../../api/client';

/**
 * Puts a server validation message under the field it names (the API sends `field`), so a
 * caseworker sees "用户名 huayuan 已被使用" next to the username box, not in a corner toast.
 * Returns false when the error names no field of this form, for the caller to show it otherwise.
 */
export function showFieldError(form: FormInstance, error: unknown, fields: string[]): boolean {
  if (!(error instanceof ApiError) || !error.field || !fields.includes(error.field)) return false;
  form.setFields([{ name: error.field, errors: [errorText(error)] }]);
  form.scrollToField(error.field);
  return true;
}
