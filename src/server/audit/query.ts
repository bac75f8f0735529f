/**
 * The audit query: parsed from `GET /api/audit`'s query string with the contract's schema, and
 * applied to events the same way by every sink (the file sink filters here; PostgreSQL filters
 * in SQL with the same meaning, checked by the same tests).
 */
import { AuditQuerySchema, type AuditEvent, type AuditQuery } from '../../contracts/index';
import { normalisePatientId } from './classify';

export type ParsedAuditQuery = { ok: true; query: AuditQuery } | { ok: false; error: string };

/** A date alone (`2026-11-23`) means the whole day: `from` its start, `to` its end, in UTC. */
function widenDate(value: string | null, end: boolean): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
  return value;
}

export function parseAuditQuery(search: string): ParsedAuditQuery {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const raw: Record<string, string | undefined> = {};
  for (const key of ['user', 'patientId', 'action', 'limit']) {
    const value = params.get(key)?.trim();
    if (value) raw[key] = value;
  }
  raw.from = widenDate(params.get('from')?.trim() || null, false);
  raw.to = widenDate(params.get('to')?.trim() || null, true);
  const parsed = AuditQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { ok: false, error: `Bad audit query: ${first.path.join('.') || 'query'}: ${first.message}` };
  }
  const query = parsed.data;
  return { ok: true, query: query.patientId ? { ...query, patientId: normalisePatientId(query.patientId) } : query };
}

export function matchesAuditQuery(event: AuditEvent, query: AuditQuery): boolean {
  if (query.user && event.user.toLowerCase() !== query.user.toLowerCase()) return false;
  if (query.action && event.action !== query.action) return false;
  if (query.patientId && !event.patientIds.includes(query.patientId)) return false;
  const time = Date.parse(event.time);
  if (query.from && time < Date.parse(query.from)) return false;
  if (query.to && time > Date.parse(query.to)) return false;
  return true;
}

/** Newest first; the file is in append order, which is time order within one instance. */
export function newestFirst(a: AuditEvent, b: AuditEvent): number {
  return Date.parse(b.time) - Date.parse(a.time);
}
