/**
 * The gateway's patient index (`GET /api/patients`), as a lookup for `findPatientStudies`. The
 * index only widens the search: what it returns is verified against the site like any record.
 */
import { PatientIndexPath, PatientIndexResponseSchema } from '../contracts/index';
import type { IndexHit, IndexLookup } from './findPatient';

export function createIndexLookup(origin: string, fetchFn: typeof fetch = (...args) => fetch(...args)): IndexLookup {
  return async (query) => {
    const params = new URLSearchParams('nationalId' in query ? { nationalId: query.nationalId } : { PatientName: query.PatientName, PatientBirthDate: query.PatientBirthDate });
    const response = await fetchFn(new URL(`${PatientIndexPath}?${params}`, origin).href, { headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const parsed = PatientIndexResponseSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.entries.map((e): IndexHit => ({ siteId: e.siteId, StudyInstanceUID: e.StudyInstanceUID, match: e.match })) : [];
  };
}
