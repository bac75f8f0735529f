/**
 * Where the patient index lives. Two implementations keep the same semantics (and run the same
 * tests): embedded (memory + a JSON-lines file, the default) and PostgreSQL (`DATABASE_URL`).
 * Upserts merge with what is held (see `mergeRecords`); lookups return records tagged with why
 * they matched.
 */
import type { PatientIndexEntry, PatientIndexRecord } from '../../contracts/index';

export interface PatientIndexStore {
  /** Adds or merges sightings, keyed by (siteId, StudyInstanceUID). */
  upsert(records: readonly PatientIndexRecord[]): Promise<void>;
  get(siteId: string, StudyInstanceUID: string): Promise<PatientIndexRecord | undefined>;
  findByNationalId(nationalId: string): Promise<PatientIndexEntry[]>;
  findByIssuerId(PatientID: string, IssuerOfPatientID: string): Promise<PatientIndexEntry[]>;
  /** Same birth date and normalised family name; within one edit → `demographics-approximate`. */
  findByDemographics(PatientName: string, PatientBirthDate: string): Promise<PatientIndexEntry[]>;
  /** Studies held per site. */
  countBySite(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Stable order for answers: site, then newest study first, then UID. */
export function byStudy(a: PatientIndexRecord, b: PatientIndexRecord): number {
  return a.siteId.localeCompare(b.siteId) || (b.StudyDate ?? '').localeCompare(a.StudyDate ?? '') || a.StudyInstanceUID.localeCompare(b.StudyInstanceUID);
}
