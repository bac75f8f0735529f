/**
 * Importing local files (a CD, a folder) into a hospital through the gateway (`/api/imports`).
 *
 * The study is staged on the gateway before anything reaches the site, so a failure before the
 * commit stores nothing there:
 *   1. `POST /api/imports` with the patient module the files carry → a plan: who the study will be
 *      filed as at the site (matched by national ID, else by demographics, else refused) and the
 *      patient attribute changes. The site's own record wins; the originals are kept in
 *      OriginalAttributesSequence.
 *   2. `PUT /api/imports/:id/instances/:SOPInstanceUID` (application/dicom), one instance at a
 *      time: checked against the plan, coerced, written to a staging folder (not kept in memory).
 *   3. `POST /api/imports/:id/commit` with the basis the user confirmed: STOW-RS of every staged
 *      instance. A failure part way is listed instance by instance; staging is kept so the commit
 *      can be run again for the instances that did not land.
 *   `DELETE /api/imports/:id` discards the staging.
 */
import { z } from 'zod';
import { SiteIdSchema } from './siteId';

export const ImportsPath = '/api/imports';

const Uid = z.string().regex(/^[0-9.]{1,64}$/, 'must be a DICOM UID');

/** Most instances one import may stage (a large CD holds a few thousand). */
export const MaxImportInstances = 20_000;

/** A DICOM JSON element of the patient module, as the browser parsed it from the files. */
const PatientElementSchema = z.object({ vr: z.string().regex(/^[A-Z]{2}$/), Value: z.array(z.unknown()).max(64).optional() });

export const ImportRequestSchema = z
  .object({
    toSiteId: SiteIdSchema,
    StudyInstanceUID: Uid,
    /** The patient module (group 0010) of the study's first instance; every staged instance is checked against it. */
    patient: z.record(z.string().regex(/^0010[0-9A-F]{4}$/, 'must be a patient module tag (0010xxxx)'), PatientElementSchema),
    /** Instances the browser will stage; the commit refuses while fewer are staged. */
    instanceCount: z.number().int().min(1).max(MaxImportInstances),
  })
  .strict();
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

/** The site's own record for the person, which the imported study is filed under. */
const SitePatientSchema = z.object({
  PatientID: z.string(),
  IssuerOfPatientID: z.string(),
  PatientName: z.string().optional(),
  PatientBirthDate: z.string().optional(),
  PatientSex: z.string().optional(),
  /** The national ID written into OtherPatientIDsSequence (digits only); absent when neither side has one. */
  nationalId: z.string().optional(),
});

export const ImportMatchBasisValues = ['national-id', 'demographics'] as const;
export const ImportMatchBasisSchema = z.enum(ImportMatchBasisValues);
export type ImportMatchBasis = z.infer<typeof ImportMatchBasisSchema>;

export const ImportMatchSchema = z.discriminatedUnion('basis', [
  /** Same national ID: the site holds this person under exactly one local ID. */
  SitePatientSchema.extend({ basis: z.literal('national-id') }),
  /** Same name and birth date, no national ID to prove it: the user must confirm it is the same person. */
  SitePatientSchema.extend({ basis: z.literal('demographics') }),
  /** No import: nobody, or more than one person, at the site could be the patient. */
  z.object({ basis: z.literal('none'), reason: z.string() }),
]);
export type ImportMatch = z.infer<typeof ImportMatchSchema>;

/** One patient attribute the import changes in every instance (old → new). */
export const AttributeChangeSchema = z.object({ attribute: z.string(), from: z.string(), to: z.string() });
export type AttributeChange = z.infer<typeof AttributeChangeSchema>;

export const ImportPlanSchema = z.object({
  id: z.string(),
  toSiteId: SiteIdSchema,
  StudyInstanceUID: z.string(),
  match: ImportMatchSchema,
  changes: z.array(AttributeChangeSchema),
});
export type ImportPlan = z.infer<typeof ImportPlanSchema>;

/** `PUT …/instances/:SOPInstanceUID` answer. */
export const ImportStagedSchema = z.object({ SOPInstanceUID: z.string(), staged: z.number().int().nonnegative() });
export type ImportStaged = z.infer<typeof ImportStagedSchema>;

/** `POST …/commit` body: the basis the user saw and confirmed (a demographics match needs this). */
export const ImportCommitRequestSchema = z.object({ confirmedBasis: ImportMatchBasisSchema }).strict();
export type ImportCommitRequest = z.infer<typeof ImportCommitRequestSchema>;

export const ImportInstanceResultSchema = z.object({
  SOPInstanceUID: z.string(),
  SeriesInstanceUID: z.string(),
  outcome: z.enum(['stored', 'failed']),
  /** Why it failed (a status, "no answer within 35000 ms"); never patient data. */
  reason: z.string().optional(),
});
export type ImportInstanceResult = z.infer<typeof ImportInstanceResultSchema>;

export const ImportResultSchema = z.object({
  id: z.string(),
  toSiteId: SiteIdSchema,
  StudyInstanceUID: z.string(),
  /** `done`: every instance is at the site. `failed`: listed per instance; staging is kept for another commit. */
  state: z.enum(['done', 'failed']),
  total: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** What happened to the instances that did land when others failed (the site has no delete, …). */
  note: z.string().optional(),
  instances: z.array(ImportInstanceResultSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export function importPathFor(id: string): string {
  return `${ImportsPath}/${encodeURIComponent(id)}`;
}

export function importInstancePathFor(id: string, SOPInstanceUID: string): string {
  return `${importPathFor(id)}/instances/${encodeURIComponent(SOPInstanceUID)}`;
}
