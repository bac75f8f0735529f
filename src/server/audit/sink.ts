/** Where audit events are kept: a JSON-lines file by default, PostgreSQL when configured. */
import type { AuditEvent, AuditQuery, AuditResponse } from '../../contracts/index';

export interface AuditSink {
  kind: 'file' | 'postgresql';
  /** Resolves once the event is durable (fsync'd / committed); rejects when it is not. */
  append(event: AuditEvent): Promise<void>;
  /** Resolves when the sink can take writes again (after a failure). */
  probe(): Promise<void>;
  query(query: AuditQuery): Promise<AuditResponse>;
  close(): Promise<void>;
}
