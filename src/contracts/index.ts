/** Types and schemas shared by the browser and the gateway. Imports nothing of ours. */
export {
  SiteIdSchema,
  SiteAuthSchema,
  SiteConfigSchema,
  CrossviewConfigSchema,
  parseConfig,
  type SiteAuth,
  type SiteConfig,
  type CrossviewConfig,
  type ConfigResult,
} from './config';
export {
  SiteStateSchema,
  SiteStatusSchema,
  SiteSummarySchema,
  SiteListSchema,
  GatewayErrorSchema,
  dicomwebPathFor,
  type SiteState,
  type SiteStatus,
  type SiteSummary,
  type SiteList,
  type GatewayError,
} from './site';
export { PerformanceMarks, DataAttributes, LinkBasisValues, type LinkBasis } from './observable';
export { isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhsNumber';
export {
  PatientIndexMatchSchema,
  PatientIndexRecordSchema,
  PatientIndexEntrySchema,
  PatientIndexQuerySchema,
  IndexerStateSchema,
  IndexerStatusSchema,
  PatientIndexResponseSchema,
  PatientIndexPath,
  type PatientIndexMatch,
  type PatientIndexRecord,
  type PatientIndexEntry,
  type PatientIndexQuery,
  type IndexerState,
  type IndexerStatus,
  type PatientIndexResponse,
} from './patientIndex';
export type { DicomJsonDataset, DicomJsonElement, PersonNameValue } from './dicomJson';
