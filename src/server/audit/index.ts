/**
 * The audit trail: who touched whose records, where, and how it ended. One JSON line per event
 * in an append-only, fsync'd file by default; a shared append-only PostgreSQL table when
 * `DATABASE_URL` is set, so several gateway instances keep one trail. Fail-closed: while the
 * trail cannot be written, the gateway withholds patient data (see auditLog.ts).
 *
 * @example
 * const audit = await openAuditLog({ config, env: process.env, log, gatewayId: 'gw-1' });
 * const gatewayAudit = createGatewayAudit(audit);
 * gatewayAudit.observeSiteRequest(res, principal, { method, siteId, subPath, search });
 */
export { openAuditLog, createAuditLog, type AuditLog, type AuditRecord, type OpenAuditLogOptions } from './auditLog';
export { createGatewayAudit, type GatewayAudit, type AuditActor, type SiteRequest } from './gatewayAudit';
export { classifySiteRequest, type SiteAccess } from './classify';
export { parseAuditQuery } from './query';
export type { AuditSink } from './sink';
