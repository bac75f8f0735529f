/**
 * The audit trail in PostgreSQL (`DATABASE_URL`), shared by every gateway instance. The table
 * is append-only in the database itself: a trigger rejects UPDATE, DELETE and TRUNCATE, so a
 * gateway bug (or a compromised gateway's credentials) cannot rewrite history; only a database
 * owner who drops the trigger can. Indexed by time, user and patient ID for the admin's queries.
 * Instances starting together create the schema under an advisory lock.
 */
import pg from 'pg';
import { AuditEventSchema, type AuditEvent, type AuditQuery, type AuditResponse } from '../../contracts/index';
import type { AuditSink } from './sink';

export interface PostgresSinkOptions {
  connectionString: string;
  /** Default `crossview_audit`. */
  table?: string;
}

interface AuditRow {
  time: Date;
  username: string;
  site: string | null;
  action: string;
  patient_ids: string[];
  study_uid: string | null;
  outcome: string;
  detail: string | null;
  gateway: string | null;
}

function toEvent(row: AuditRow): AuditEvent | undefined {
  const parsed = AuditEventSchema.safeParse({
    time: row.time.toISOString(),
    user: row.username,
    site: row.site,
    action: row.action,
    patientIds: row.patient_ids,
    studyUid: row.study_uid,
    outcome: row.outcome,
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.gateway === null ? {} : { gateway: row.gateway }),
  });
  return parsed.success ? parsed.data : undefined;
}

export async function createPostgresSink(options: PostgresSinkOptions): Promise<AuditSink> {
  const table = options.table ?? 'crossview_audit';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(table)) throw new Error(`createPostgresSink: invalid table name "${table}"`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
  // An idle client's network error must not crash the gateway; the next write reports it.
  pool.on('error', () => undefined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${table} (
        id bigserial PRIMARY KEY,
        time timestamptz NOT NULL,
        username text NOT NULL,
        site text,
        action text NOT NULL,
        patient_ids text[] NOT NULL DEFAULT '{}',
        study_uid text,
        outcome text NOT NULL,
        detail text,
        gateway text
      );
      CREATE INDEX IF NOT EXISTS ${table}_time ON ${table} (time DESC);
      CREATE INDEX IF NOT EXISTS ${table}_user ON ${table} (lower(username), time DESC);
      CREATE INDEX IF NOT EXISTS ${table}_patients ON ${table} USING gin (patient_ids);
      CREATE OR REPLACE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP; END $$;
      CREATE OR REPLACE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${table}_append_only();
      CREATE OR REPLACE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only();
    `);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  client.release();

  return {
    kind: 'postgresql',
    async append(event) {
      await pool.query(
        `INSERT INTO ${table} (time, username, site, action, patient_ids, study_uid, outcome, detail, gateway) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [event.time, event.user, event.site, event.action, event.patientIds, event.studyUid, event.outcome, event.detail ?? null, event.gateway ?? null],
      );
    },
    async probe() {
      await pool.query(`SELECT 1 FROM ${table} LIMIT 0`);
    },
    async query(query: AuditQuery): Promise<AuditResponse> {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (clause: (n: string) => string, value: unknown) => {
        values.push(value);
        where.push(clause(`$${values.length}`));
      };
      if (query.user) add((n) => `lower(username) = lower(${n})`, query.user);
      if (query.action) add((n) => `action = ${n}`, query.action);
      if (query.patientId) add((n) => `patient_ids @> ARRAY[${n}::text]`, query.patientId);
      if (query.from) add((n) => `time >= ${n}`, query.from);
      if (query.to) add((n) => `time <= ${n}`, query.to);
      values.push(query.limit + 1);
      const { rows } = await pool.query(
        `SELECT time, username, site, action, patient_ids, study_uid, outcome, detail, gateway FROM ${table}
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT $${values.length}`,
        values,
      );
      const events = (rows as AuditRow[]).map(toEvent).filter((e): e is AuditEvent => e !== undefined);
      return { events: events.slice(0, query.limit), truncated: rows.length > query.limit };
    },
    async close() {
      await pool.end();
    },
  };
}
