/**
 * The audit log the gateway writes to: picks the sink (PostgreSQL when `DATABASE_URL` or config
 * `database.url` is set, else the JSON-lines file at config `audit.path`), stamps each record
 * with its time and gateway instance, and never lets a failed write crash anything.
 *
 * Fail-closed: when a write fails the log turns unwritable, says so loudly in the gateway log
 * (the action and the reason, no patient data), and keeps the event in memory. While unwritable,
 * `writable()` probes the sink (at most once a second); the gateway refuses patient-level
 * requests with 503 until a probe succeeds and the held events are written. Hospital IT expect
 * no access to patient records that leaves no trace; an outage of the audit store is an outage
 * of patient data, and the gateway log says why.
 */
import { resolve } from 'node:path';
import type { AuditEvent, AuditQuery, AuditResponse, CrossviewConfig } from '../../contracts/index';
import { createFileSink } from './fileSink';
import { createPostgresSink } from './postgresSink';
import type { AuditSink } from './sink';

/** What a caller hands the log; the log adds the time and which gateway wrote it. */
export type AuditRecord = Omit<AuditEvent, 'time' | 'gateway'>;

export interface AuditLog {
  kind: AuditSink['kind'];
  /** Writes one event (durably before resolving); never rejects: failures are logged and held. */
  append(record: AuditRecord): Promise<void>;
  /** False while the sink cannot take writes (after probing it again). */
  writable(): Promise<boolean>;
  query(query: AuditQuery): Promise<AuditResponse>;
  close(): Promise<void>;
}

export interface OpenAuditLogOptions {
  config: Pick<CrossviewConfig, 'audit' | 'database'>;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Names this instance in every event it writes. */
  gatewayId: string;
  /** PostgreSQL table (tests); default `crossview_audit`. */
  table?: string;
  /** Clock (tests). */
  now?: () => Date;
}

const HELD_LIMIT = 10_000;
const PROBE_INTERVAL_MS = 1000;

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}

/**
 * @example
 * const audit = await openAuditLog({ config, env: process.env, log: console.log, gatewayId: 'gw-1' });
 * await audit.append({ user: 'reader', site: 'site-a', action: 'study-open', patientIds: ['9990764875'], studyUid: '1.2.3', outcome: 'ok' });
 */
export async function openAuditLog(options: OpenAuditLogOptions): Promise<AuditLog> {
  const url = options.env.DATABASE_URL || options.config.database?.url;
  const sink = url ? await createPostgresSink({ connectionString: url, table: options.table }) : createFileSink(resolve(options.config.audit.path));
  // Found out now, not after the first patient record has gone out unaudited.
  const problem = await sink.probe().then(
    () => undefined,
    (error: unknown) => error ?? new Error('unknown'),
  );
  return createAuditLog(sink, { ...options, unwritableAtStart: problem });
}

export function createAuditLog(sink: AuditSink, options: Pick<OpenAuditLogOptions, 'log' | 'gatewayId' | 'now'> & { unwritableAtStart?: unknown }): AuditLog {
  const now = options.now ?? (() => new Date());
  let healthy = options.unwritableAtStart === undefined;
  if (!healthy) {
    options.log(`audit: ERROR the ${sink.kind} audit trail cannot be written (${reasonOf(options.unwritableAtStart)}); patient data is refused until it can`);
  }
  const held: AuditEvent[] = [];
  let dropped = 0;
  let lastProbe = 0;
  let probing: Promise<boolean> | undefined;

  function fail(event: AuditEvent, error: unknown): void {
    if (held.length >= HELD_LIMIT) {
      held.shift();
      dropped++;
    }
    held.push(event);
    if (healthy) {
      options.log(
        `audit: ERROR could not write a "${event.action}" event to the ${sink.kind} audit trail (${reasonOf(error)}); patient data is refused until it can be written again`,
      );
    }
    healthy = false;
  }

  async function recover(): Promise<boolean> {
    try {
      await sink.probe();
      while (held.length) {
        await sink.append(held[0]!);
        held.shift();
      }
    } catch {
      return false;
    }
    options.log(`audit: the ${sink.kind} audit trail is writable again${dropped ? `; ${dropped} event(s) were lost while it was not` : ''}`);
    dropped = 0;
    healthy = true;
    return true;
  }

  return {
    kind: sink.kind,
    async append(record) {
      const event: AuditEvent = { ...record, time: now().toISOString(), gateway: options.gatewayId };
      if (!healthy) {
        fail(event, undefined);
        return;
      }
      try {
        await sink.append(event);
      } catch (error) {
        fail(event, error);
      }
    },
    async writable() {
      if (healthy) return true;
      if (probing) return probing;
      if (Date.now() - lastProbe < PROBE_INTERVAL_MS) return false;
      lastProbe = Date.now();
      probing = recover().finally(() => {
        probing = undefined;
      });
      return probing;
    },
    query: (query) => sink.query(query),
    close: () => sink.close(),
  };
}
