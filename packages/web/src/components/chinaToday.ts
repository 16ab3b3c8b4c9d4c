/**
 * Today as the bureau and the server count it: the date in China, whatever time zone the browser is
 * in. The server checks dates against this day (a document served before it was issued, a date in
 * the future), so a form's default and its date limits must use the same day; from 16:00 to 24:00
 * UTC the browser's own date is a day behind.
 */
import dayjs, { type Dayjs } from 'dayjs';

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** Today in China as an ISO date (YYYY-MM-DD). */
export const todayInChina = (now = new Date()): string => CHINA_DATE.format(now);

/** Today in China as a Dayjs at local midnight: date pickers' default and their "not after today". */
export const chinaToday = (): Dayjs => dayjs(todayInChina());

/** A date picker's "not after today" (its disabledDate), as the server checks it. */
export const afterChinaToday = (day: Dayjs): boolean => day.format('YYYY-MM-DD') > todayInChina();
