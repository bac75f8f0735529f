/**
 * The patient index in PostgreSQL (`DATABASE_URL`), for gateways that run as several instances
 * or keep a large index. One row per (site_id, study_instance_uid) holding the record as JSONB,
 * plus the columns lookups need. Merging happens here in the same transaction as the read
 * (row locked with FOR UPDATE), so two gateways seeing one study at once do not lose a sighting.
 * The demographic question narrows by birth date in SQL and applies the name tolerance in code,
 * so both stores answer it the same way.
 */
import pg from 'pg';
import { PatientIndexRecordSchema, type PatientIndexEntry, type PatientIndexRecord } from '../../contracts/index';
import { demographicMatch, nameKey } from './names';
import { mergeRecords } from './record';
import { byStudy, type PatientIndexStore } from './store';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Default `crossview_patient_index`. */
  table?: string;
}

function toRecord(row: { record: unknown }): PatientIndexRecord | undefined {
  const parsed = PatientIndexRecordSchema.safeParse(row.record);
  return parsed.success ? parsed.data : undefined;
}

function tag(rows: { record: unknown }[], match: (r: PatientIndexRecord) => PatientIndexEntry['match'] | undefined): PatientIndexEntry[] {
  const out: PatientIndexEntry[] = [];
  for (const row of rows) {
    const record = toRecord(row);
    const why = record && match(record);
    if (record && why) out.push({ ...record, match: why });
  }
  return out.sort(byStudy);
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<PatientIndexStore> {
  const table = options.table ?? 'crossview_patient_index';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new Error(`createPostgresStore: invalid table name "${table}"`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
  // An idle client's network error must not crash the gateway; the next query reports it.
  pool.on('error', () => undefined);
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ${table} (
      site_id text NOT NULL,
      study_instance_uid text NOT NULL,
      national_ids text[] NOT NULL DEFAULT '{}',
      patient_id text,
      issuer_of_patient_id text,
      family_name text,
      patient_birth_date text,
      record jsonb NOT NULL,
      PRIMARY KEY (site_id, study_instance_uid)
    );
    CREATE INDEX IF NOT EXISTS ${table}_national_ids ON ${table} USING gin (national_ids);
    CREATE INDEX IF NOT EXISTS ${table}_issuer_id ON ${table} (issuer_of_patient_id, patient_id);
    CREATE INDEX IF NOT EXISTS ${table}_birth_date ON ${table} (patient_birth_date);
  `);

  return {
    async upsert(records) {
      if (records.length === 0) return;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const incoming of records) {
          const { rows } = await client.query(`SELECT record FROM ${table} WHERE site_id = $1 AND study_instance_uid = $2 FOR UPDATE`, [
            incoming.siteId,
            incoming.StudyInstanceUID,
          ]);
          const merged = mergeRecords(rows[0] ? toRecord(rows[0] as { record: unknown }) : undefined, incoming);
          await client.query(
            `INSERT INTO ${table} (site_id, study_instance_uid, national_ids, patient_id, issuer_of_patient_id, family_name, patient_birth_date, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (site_id, study_instance_uid) DO UPDATE SET
               national_ids = EXCLUDED.national_ids, patient_id = EXCLUDED.patient_id,
               issuer_of_patient_id = EXCLUDED.issuer_of_patient_id, family_name = EXCLUDED.family_name,
               patient_birth_date = EXCLUDED.patient_birth_date, record = EXCLUDED.record`,
            [
              merged.siteId,
              merged.StudyInstanceUID,
              merged.nationalIds,
              merged.PatientID ?? null,
              merged.IssuerOfPatientID ?? null,
              nameKey(merged.PatientName).family || null,
              merged.PatientBirthDate ?? null,
              JSON.stringify(merged),
            ],
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async get(siteId, uid) {
      const { rows } = await pool.query(`SELECT record FROM ${table} WHERE site_id = $1 AND study_instance_uid = $2`, [siteId, uid]);
      return rows[0] ? toRecord(rows[0] as { record: unknown }) : undefined;
    },
    async findByNationalId(nationalId) {
      const { rows } = await pool.query(`SELECT record FROM ${table} WHERE national_ids @> ARRAY[$1::text]`, [nationalId]);
      return tag(rows as { record: unknown }[], () => 'national-id');
    },
    async findByIssuerId(PatientID, IssuerOfPatientID) {
      const { rows } = await pool.query(`SELECT record FROM ${table} WHERE issuer_of_patient_id = $1 AND patient_id = $2`, [IssuerOfPatientID, PatientID]);
      return tag(rows as { record: unknown }[], () => 'issuer-id');
    },
    async findByDemographics(PatientName, PatientBirthDate) {
      const { family } = nameKey(PatientName);
      const { rows } = await pool.query(`SELECT record FROM ${table} WHERE patient_birth_date = $1`, [PatientBirthDate]);
      return tag(rows as { record: unknown }[], (r) => demographicMatch(r, family, PatientBirthDate));
    },
    async countBySite() {
      const { rows } = await pool.query(`SELECT site_id, count(*)::int AS n FROM ${table} GROUP BY site_id`);
      return Object.fromEntries((rows as { site_id: string; n: number }[]).map((row) => [row.site_id, row.n]));
    },
    async close() {
      await pool.end();
    },
  };
}
