/**
 * The admin's audit view asks the gateway here: `GET /api/audit` with the filters the form holds.
 * Answers are checked against the contract; a refusal or an unreadable trail is a value the view
 * shows, never an exception.
 */
import { AuditPath, AuditResponseSchema, type AuditAction, type AuditEvent } from '../contracts/index';

/** The form's filters: empty strings mean "any". Dates are `YYYY-MM-DD` (the whole day, UTC). */
export interface AuditFilters {
  user: string;
  patientId: string;
  from: string;
  to: string;
  action: AuditAction | '';
}

export const NoAuditFilters: AuditFilters = { user: '', patientId: '', from: '', to: '', action: '' };

export type AuditAnswer =
  | { kind: 'ok'; events: AuditEvent[]; truncated: boolean }
  | { kind: 'forbidden'; message: string }
  | { kind: 'error'; message: string };

/** The query string for `filters`, leaving out the empty ones. */
export function auditSearch(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const key of ['user', 'patientId', 'from', 'to', 'action'] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function fetchAuditEvents(origin: string, filters: AuditFilters, fetchFn: typeof fetch = fetch): Promise<AuditAnswer> {
  try {
    const response = await fetchFn(new URL(`${AuditPath}${auditSearch(filters)}`, origin).href, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body: unknown = await response.json().catch(() => undefined);
    const message = typeof (body as { error?: unknown } | undefined)?.error === 'string' ? (body as { error: string }).error : `The gateway answered ${response.status}`;
    if (response.status === 403) return { kind: 'forbidden', message };
    if (response.status === 401) return { kind: 'forbidden', message: 'Your session has ended: sign in again' };
    if (response.status !== 200) return { kind: 'error', message };
    const parsed = AuditResponseSchema.safeParse(body);
    return parsed.success ? { kind: 'ok', ...parsed.data } : { kind: 'error', message: 'The gateway sent an audit answer this viewer does not understand' };
  } catch (error) {
    return { kind: 'error', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}
