/**
 * Which store the gateway uses: PostgreSQL when `DATABASE_URL` (or config `database.url`) is
 * set, else the embedded store at config `patientIndex.path`.
 */
import { resolve } from 'node:path';
import { createEmbeddedStore } from './embeddedStore';
import { createPostgresStore } from './postgresStore';
import type { PatientIndexStore } from './store';

export interface OpenStoreOptions {
  env: NodeJS.ProcessEnv;
  /** config `database.url`; `DATABASE_URL` wins. */
  databaseUrl?: string;
  /** config `patientIndex.path`; absent = memory only. */
  path?: string;
  /** PostgreSQL table (tests). */
  table?: string;
}

export async function openPatientIndexStore(options: OpenStoreOptions): Promise<{ kind: 'embedded' | 'postgresql'; store: PatientIndexStore }> {
  const url = options.env.DATABASE_URL || options.databaseUrl;
  if (url) return { kind: 'postgresql', store: await createPostgresStore({ connectionString: url, table: options.table }) };
  return { kind: 'embedded', store: await createEmbeddedStore({ path: options.path === undefined ? undefined : resolve(options.path) }) };
}
