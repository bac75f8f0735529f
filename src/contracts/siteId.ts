import { z } from 'zod';

/** Site ids appear in URLs (`/sites/:siteId/dicom-web`) and data attributes, so keep them plain. */
export const SiteIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (e.g. "royal-marsden")');
