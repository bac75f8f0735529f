/**
 * `GET /api/patients`: the gateway's patient index, which knows at which sites a person's
 * studies sit (by national ID, issuer-qualified local ID or demographics) even when a site's own
 * QIDO cannot find them. One entry per (siteId, StudyInstanceUID); nothing is grouped or linked
 * here: the browser re-checks every entry against the requested identity and links.
 */
import { z } from 'zod';
import { SiteIdSchema } from './config';

/** Why an entry was returned. `demographics-approximate`: family name one edit away, same birth date. */
export const PatientIndexMatchSchema = z.enum(['national-id', 'issuer-id', 'demographics', 'demographics-approximate']);
export type PatientIndexMatch = z.infer<typeof PatientIndexMatchSchema>;

const DicomDate = z.string().regex(/^\d{8}$/, 'must be a DICOM date (YYYYMMDD)');

/** What the index holds about one study at one site. DICOM attributes keep their keywords. */
export const PatientIndexRecordSchema = z.object({
  siteId: SiteIdSchema,
  StudyInstanceUID: z.string().min(1),
  PatientID: z.string().optional(),
  IssuerOfPatientID: z.string().optional(),
  /** Normalised (digits only) national IDs that pass the check digit, from PatientID, OtherPatientIDsSequence and OtherPatientIDs. */
  nationalIds: z.array(z.string()),
  /** As stored at the site, component groups joined by `=` (untrusted text: display as text). */
  PatientName: z.string().optional(),
  PatientBirthDate: z.string().optional(),
  PatientSex: z.string().optional(),
  StudyDate: z.string().optional(),
  ModalitiesInStudy: z.array(z.string()),
  /** Who saw it last: the background indexer, or metadata the gateway passed to a browser. */
  source: z.enum(['indexer', 'proxy']),
  seenAt: z.iso.datetime(),
  /** An instance's full metadata was read (so OtherPatientIDsSequence was seen), not only a QIDO answer. */
  metadataSeen: z.boolean(),
});
export type PatientIndexRecord = z.infer<typeof PatientIndexRecordSchema>;

export const PatientIndexEntrySchema = PatientIndexRecordSchema.extend({ match: PatientIndexMatchSchema });
export type PatientIndexEntry = z.infer<typeof PatientIndexEntrySchema>;

/** Exactly one kind of question per request. A bare local PatientID is never a question. */
export const PatientIndexQuerySchema = z.union([
  z.object({ nationalId: z.string() }).strict(),
  z.object({ PatientID: z.string().min(1), IssuerOfPatientID: z.string().min(1) }).strict(),
  z.object({ PatientName: z.string().min(1), PatientBirthDate: DicomDate }).strict(),
]);
export type PatientIndexQuery = z.infer<typeof PatientIndexQuerySchema>;

export const IndexerStateSchema = z.enum(['idle', 'running', 'disabled']);
export type IndexerState = z.infer<typeof IndexerStateSchema>;

export const IndexerStatusSchema = z.object({
  state: IndexerStateSchema,
  /** When the last full pass over every site ended. */
  lastCompletedAt: z.iso.datetime().optional(),
  /** Studies the index holds per site, and why the last pass at that site failed (no patient data). */
  sites: z.record(z.string(), z.object({ studies: z.number().int().nonnegative(), lastError: z.string().optional() })),
});
export type IndexerStatus = z.infer<typeof IndexerStatusSchema>;

export const PatientIndexResponseSchema = z.object({
  /** The question as the gateway understood it (national ID normalised to digits). */
  query: PatientIndexQuerySchema,
  entries: z.array(PatientIndexEntrySchema),
  indexer: IndexerStatusSchema,
});
export type PatientIndexResponse = z.infer<typeof PatientIndexResponseSchema>;

/** Path of the endpoint, for the browser. */
export const PatientIndexPath = '/api/patients';
