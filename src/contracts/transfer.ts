/**
 * Sending a study from one hospital to another through the gateway (`/api/transfers`).
 * The gateway copies instance by instance (QIDO → WADO-RS → identity coercion → STOW-RS) and
 * keeps a per-instance result, so a partly failed send can be retried for its failures only.
 *
 * Identity: a study is filed at the target under the target's own local ID for the person,
 * found through the national ID. When the target does not know the person, the send is refused
 * (`unknown-at-target`): a hospital files studies under its own MRN, and a study under another
 * hospital's ID would create an orphan patient record there.
 */
import { z } from 'zod';
import { SiteIdSchema } from './siteId';

export const TransfersPath = '/api/transfers';
export const TransferPlanPath = '/api/transfers/plan';

export const TransferRequestSchema = z
  .object({
    studyUid: z.string().regex(/^[0-9.]{1,64}$/, 'must be a DICOM UID'),
    fromSiteId: SiteIdSchema,
    toSiteId: SiteIdSchema,
  })
  .strict()
  .refine((r) => r.fromSiteId !== r.toSiteId, { message: 'the target site must differ from the source', path: ['toSiteId'] });
export type TransferRequest = z.infer<typeof TransferRequestSchema>;

/** Who the study will be filed as at the target. */
export const TargetIdentitySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('linked'),
    PatientID: z.string(),
    IssuerOfPatientID: z.string(),
    /** The national ID that links source and target (digits only). */
    nationalId: z.string(),
  }),
  /** No send: the reason says why (no national ID in the study, person unknown or ambiguous at the target). */
  z.object({ kind: z.literal('unknown-at-target'), reason: z.string() }),
]);
export type TargetIdentity = z.infer<typeof TargetIdentitySchema>;

/** `GET /api/transfers/plan?studyUid=&fromSiteId=&toSiteId=`: what a send would do, before it starts. */
export const TransferPlanSchema = z.object({
  studyUid: z.string(),
  fromSiteId: SiteIdSchema,
  toSiteId: SiteIdSchema,
  target: TargetIdentitySchema,
});
export type TransferPlan = z.infer<typeof TransferPlanSchema>;

export const TransferStateValues = ['queued', 'running', 'done', 'failed-partly'] as const;
export const TransferStateSchema = z.enum(TransferStateValues);
export type TransferState = z.infer<typeof TransferStateSchema>;

export const InstanceTransferSchema = z.object({
  SOPInstanceUID: z.string(),
  SeriesInstanceUID: z.string(),
  outcome: z.enum(['pending', 'ok', 'failed']),
  /** Why it failed (a status, "site refused the connection"); never patient data. */
  reason: z.string().optional(),
});
export type InstanceTransfer = z.infer<typeof InstanceTransferSchema>;

export const TransferStatusSchema = z.object({
  id: z.string(),
  studyUid: z.string(),
  fromSiteId: SiteIdSchema,
  toSiteId: SiteIdSchema,
  state: TransferStateSchema,
  /** Instances in the study at the source (0 until listed). */
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** The PatientID / issuer written into every instance sent. */
  targetPatientID: z.string(),
  targetIssuerOfPatientID: z.string(),
  /** Why the whole send stopped early (the study could not be listed at the source). */
  error: z.string().optional(),
  instances: z.array(InstanceTransferSchema),
});
export type TransferStatus = z.infer<typeof TransferStatusSchema>;

/** `POST /api/transfers` answer (202). */
export const TransferCreatedSchema = z.object({ id: z.string() });
export type TransferCreated = z.infer<typeof TransferCreatedSchema>;

export function transferPathFor(id: string): string {
  return `${TransfersPath}/${encodeURIComponent(id)}`;
}
