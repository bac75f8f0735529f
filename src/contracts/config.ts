/**
 * crossview.config.json: the gateway's only input about the world (which hospitals exist, how to
 * reach them, how to link identities). Validated once at start; every bad field is reported with
 * its path so a hospital IT team can fix the file without reading code.
 */
import { z } from 'zod';
import { AuthConfigSchema } from './auth';
import { SiteIdSchema } from './siteId';

export { SiteIdSchema };

export const SiteAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }).strict(),
  z.object({ type: z.literal('bearer'), token: z.string().min(1) }).strict(),
]);

export const SiteConfigSchema = z
  .object({
    id: SiteIdSchema,
    name: z.string().min(1, 'must name the hospital as users know it'),
    /** A remote DICOMweb service (PACS, Orthanc, dcm4chee, cloud). */
    dicomweb: z
      .object({
        url: z.url('must be an absolute http(s) URL'),
        /** The server answers `Range` requests on single frames (needed for progressive HTJ2K). */
        frameByteRanges: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** A folder of DICOM files served by the gateway itself (embedded demo, CD imports). */
    folder: z.object({ path: z.string().min(1) }).strict().optional(),
    auth: SiteAuthSchema.default({ type: 'none' }),
    /** The site's IssuerOfPatientID (0010,0021): qualifies its local PatientIDs. */
    patientIdIssuer: z.string().min(1, 'must name the issuer of this site\'s local patient IDs'),
    /** Per-request timeout for this site, milliseconds. */
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
  })
  .strict()
  .superRefine((site, ctx) => {
    const sources = [site.dicomweb, site.folder].filter(Boolean).length;
    if (sources !== 1) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "dicomweb" or "folder"', path: [] });
    }
  });

export const CrossviewConfigSchema = z
  .object({
    sites: z.array(SiteConfigSchema).min(1, 'must list at least one site'),
    identity: z
      .object({ nationalIdIssuer: z.string().min(1).default('NHS') })
      .strict()
      .default({ nationalIdIssuer: 'NHS' }),
    gateway: z
      .object({
        /** Time after which a site that has not answered counts as slow (status bar). */
        slowThresholdMs: z.number().int().positive().default(1500),
        /** How long the browser waits for one site's answer to a patient query before calling it down. */
        queryTimeoutMs: z.number().int().positive().max(120_000).default(4000),
      })
      .strict()
      .default({ slowThresholdMs: 1500, queryTimeoutMs: 4000 }),
    /** The background indexer that walks every site's studies into the patient index. */
    indexer: z
      .object({
        enabled: z.boolean().default(true),
        /** Pause between passes, milliseconds (default 15 minutes). */
        intervalMs: z.number().int().min(1000).default(900_000),
        /** How many years of StudyDate back each pass asks for, one year per query. */
        lookbackYears: z.number().int().min(1).max(100).default(10),
        /** Requests in flight per site. */
        concurrencyPerSite: z.number().int().min(1).max(8).default(2),
      })
      .strict()
      .default({ enabled: true, intervalMs: 900_000, lookbackYears: 10, concurrencyPerSite: 2 }),
    /** The embedded patient index store (used unless a database is configured). */
    patientIndex: z
      .object({ path: z.string().min(1).default('.cache/patient-index/index.jsonl') })
      .strict()
      .default({ path: '.cache/patient-index/index.jsonl' }),
    /** The diagnostic viewer in the browser. */
    viewer: z
      .object({
        /** Image memory the browser may hold (Cornerstone cache), MiB; least recently used images are evicted beyond it. */
        cacheBudgetMiB: z.number().int().min(64).max(16_384).default(1024),
      })
      .strict()
      .default({ cacheBudgetMiB: 1024 }),
    /** Hanging protocols beyond the built-ins. */
    hanging: z
      .object({
        /**
         * A department's own protocols: every `*.json` file directly in this folder, read by the
         * gateway on each request to `/api/hanging-protocols` (no rebuild or restart). A relative
         * path is taken from the gateway's working directory, like `folder.path`.
         */
        protocolFolder: z.string().min(1, 'must name a folder (leave "protocolFolder" out for none)').optional(),
      })
      .strict()
      .optional(),
    /** Who may sign in (default: local accounts, of which a real config lists its own; none built in). */
    auth: AuthConfigSchema.default({ mode: 'local', accounts: [], sessionMinutes: 480 }),
    /** The audit trail of patient-level actions; PostgreSQL instead when `DATABASE_URL` is set. */
    audit: z
      .object({ path: z.string().min(1).default('.cache/audit/audit.jsonl') })
      .strict()
      .default({ path: '.cache/audit/audit.jsonl' }),
    /** PostgreSQL for the patient index; the `DATABASE_URL` environment variable wins over this. */
    database: z
      .object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sites.forEach((site, i) => {
      if (seen.has(site.id)) ctx.addIssue({ code: 'custom', message: `duplicate site id "${site.id}"`, path: ['sites', i, 'id'] });
      seen.add(site.id);
    });
  });

export type SiteAuth = z.infer<typeof SiteAuthSchema>;
export type SiteConfig = z.infer<typeof SiteConfigSchema>;
export type CrossviewConfig = z.infer<typeof CrossviewConfigSchema>;

export type ConfigResult = { ok: true; config: CrossviewConfig } | { ok: false; errors: string[] };

/** Validates parsed JSON; each error reads `sites[1].dicomweb.url: must be an absolute http(s) URL`. */
export function parseConfig(input: unknown): ConfigResult {
  const result = CrossviewConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`) };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(config)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
