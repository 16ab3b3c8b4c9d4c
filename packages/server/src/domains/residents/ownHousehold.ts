/**
 * A resident applies online for their own household only (issue 6 item 1: before this, a resident could
 * apply for any household of their village, since row-level security scopes by village). Kept apart
 * from the portal so intake can import it without importing the portal.
 */
import type { Queryable } from '../../db/database.ts';
import { AppError, errors } from '../../http/errors.ts';
import type { Actor } from '../access/permissions.ts';
import { residentHousehold } from './residents.repo.ts';

/** For intake: a resident may apply only for the household they belong to. */
export async function assertOwnHousehold(tx: Queryable, actor: Actor, householdId: string): Promise<void> {
  if (actor.role !== 'resident') return;
  const mine = await residentHousehold(tx, actor.userId);
  if (!mine)
    throw errors.conflict(
      'RESIDENT_NOT_LINKED',
      '您的账户还没有与户籍登记信息关联，请用手机号和身份证号码登录后再申请',
      'this resident account is not linked to a registered person',
    );
  if (mine.household_id !== householdId)
    throw new AppError(
      403,
      'NOT_OWN_HOUSEHOLD',
      '居民只能为本人所在的家庭提出申请；为他人申请请到村（社区）或乡镇窗口办理',
      'residents may apply only for their own household',
      'householdId',
    );
}
