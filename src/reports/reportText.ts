/**
 * How DICOM values in a report read on screen: person names in display order, dates in the
 * unambiguous `14 Mar 2026` form, times as `17:02`. Values arrive untrusted; these only
 * re-arrange text and never produce markup.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `WHITFIELD^Hannah^^Dr` → `Dr Hannah WHITFIELD`; a name without carets is kept as written. */
export function formatPersonName(name: string | undefined): string {
  if (!name) return '';
  const alphabetic = name.split('=')[0] ?? '';
  if (!alphabetic.includes('^')) return alphabetic.trim();
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((part) => part.trim());
  return [prefix, given, middle, family, suffix].filter(Boolean).join(' ');
}

/** DA `20260314` → `14 Mar 2026`; anything else is returned as written. */
export function formatDate(date: string | undefined): string {
  if (!date) return '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  if (!match) return date;
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? '?'} ${match[1]}`;
}

/** TM `170224.123` → `17:02`. */
export function formatTime(time: string | undefined): string {
  if (!time) return '';
  const match = /^(\d{2}):?(\d{2})/.exec(time.trim());
  return match ? `${match[1]}:${match[2]}` : time;
}

/** DT `20260314170224` → `14 Mar 2026 17:02`. */
export function formatDateTime(dateTime: string | undefined): string {
  if (!dateTime) return '';
  const value = dateTime.trim();
  const date = formatDate(value.slice(0, 8));
  const time = value.length > 8 ? formatTime(value.slice(8)) : '';
  return [date, time].filter(Boolean).join(' ');
}

/** DA + TM as one readable moment. */
export function formatDateAndTime(date: string | undefined, time: string | undefined): string {
  return [formatDate(date), formatTime(time)].filter(Boolean).join(' ');
}
