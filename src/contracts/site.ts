/** What the gateway tells the browser about each hospital (`GET /api/sites`). */
import { z } from 'zod';
import { SiteIdSchema } from './config';

/** `slow`: answered, but after the soft threshold. Mirrors DESIGN.md's `data-state` values. */
export const SiteStateSchema = z.enum(['ok', 'slow', 'down', 'unauthorised', 'error']);
export type SiteState = z.infer<typeof SiteStateSchema>;

export const SiteStatusSchema = z.object({
  state: SiteStateSchema,
  /** Round trip of the last probe, milliseconds. */
  latencyMs: z.number().nonnegative().optional(),
  /** Human-readable reason for anything but `ok`. Never contains patient data. */
  message: z.string().optional(),
  checkedAt: z.iso.datetime(),
});
export type SiteStatus = z.infer<typeof SiteStatusSchema>;

export const SiteSummarySchema = z.object({
  id: SiteIdSchema,
  name: z.string(),
  patientIdIssuer: z.string(),
  /** Path of this site's DICOMweb root through the gateway, e.g. `/sites/a/dicom-web`. */
  dicomwebPath: z.string(),
  /** Single frames can be fetched by byte range, so progressive HTJ2K can show a frame's start. */
  frameByteRanges: z.boolean().default(false),
  status: SiteStatusSchema,
});
export type SiteSummary = z.infer<typeof SiteSummarySchema>;

export const SiteListSchema = z.object({
  sites: z.array(SiteSummarySchema),
  nationalIdIssuer: z.string(),
  /** Per-site wait for a patient query, ms (config `gateway.queryTimeoutMs`). */
  queryTimeoutMs: z.number().int().positive().default(4000),
  /** An answer later than this marks the site slow, ms (config `gateway.slowThresholdMs`). */
  slowThresholdMs: z.number().int().positive().default(1500),
  /** Image memory budget for the viewer, bytes (config `viewer.cacheBudgetMiB`). */
  cacheBudgetBytes: z.number().int().positive().default(1024 * 1024 * 1024),
});
export type SiteList = z.infer<typeof SiteListSchema>;

/** Body of any gateway error response: which site, what happened, nothing about the patient. */
export const GatewayErrorSchema = z.object({
  error: z.string(),
  siteId: z.string().optional(),
  siteName: z.string().optional(),
});
export type GatewayError = z.infer<typeof GatewayErrorSchema>;

export function dicomwebPathFor(siteId: string): string {
  return `/sites/${siteId}/dicom-web`;
}
