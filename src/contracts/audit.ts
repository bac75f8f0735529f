/**
 * One line of the audit trail: who did what to whose records, where, and how it ended. Patient
 * IDs are the identifiers the action touched (national and local), never names or dates.
 */
import { z } from 'zod';

export const AuditActionValues = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'search',
  'study-open',
  'retrieve',
  'report-view',
  'send',
  'import',
  'audit-view',
] as const;
export const AuditActionSchema = z.enum(AuditActionValues);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEventSchema = z.object({
  time: z.iso.datetime(),
  user: z.string(),
  /** Site id the action went to; null for actions on the gateway itself (sign-in, audit view). */
  site: z.string().nullable(),
  action: AuditActionSchema,
  patientIds: z.array(z.string()),
  studyUid: z.string().nullable(),
  outcome: z.enum(['ok', 'denied', 'failed']),
  /** Short, PHI-free detail: a count, a status, a target site. */
  detail: z.string().optional(),
  /** Which gateway instance wrote it (several may share one trail). */
  gateway: z.string().optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** `GET /api/audit` query; every filter optional, newest first. */
export const AuditQuerySchema = z.object({
  user: z.string().optional(),
  patientId: z.string().optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  action: AuditActionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditResponseSchema = z.object({ events: z.array(AuditEventSchema), truncated: z.boolean() });
export type AuditResponse = z.infer<typeof AuditResponseSchema>;

export const AuditPath = '/api/audit';
