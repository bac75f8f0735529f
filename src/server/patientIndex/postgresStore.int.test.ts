/**
 * The store semantics of storeContract against a real PostgreSQL (Debian's package, a
 * throwaway cluster on a free loopback port), chosen through DATABASE_URL as the gateway does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPatientIndexStore } from './openStore';
import { record, storeContract } from './storeContract';
import { startTestPostgres, type TestPostgres } from './testPostgres';

let postgres: TestPostgres;
let tables = 0;

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

describe('PostgreSQL patient index store', () => {
  // A fresh table per test, so each starts empty like a fresh embedded store.
  storeContract(() => openPatientIndexStore({ env: { DATABASE_URL: postgres.url }, table: `index_test_${++tables}` }).then((opened) => opened.store));

  it('is the store DATABASE_URL selects, and keeps records across reconnections', async () => {
    const first = await openPatientIndexStore({ env: { DATABASE_URL: postgres.url }, table: 'index_reopen' });
    expect(first.kind).toBe('postgresql');
    await first.store.upsert([record({ siteId: 'site-b', StudyInstanceUID: '9.1', nationalIds: ['9990764875'] })]);
    await first.store.close();
    const second = await openPatientIndexStore({ env: { DATABASE_URL: postgres.url }, table: 'index_reopen' });
    expect((await second.store.findByNationalId('9990764875')).map((e) => e.StudyInstanceUID)).toEqual(['9.1']);
    await second.store.close();
  });
});
