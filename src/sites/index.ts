/**
 * Hospitals as DICOMweb endpoints behind the gateway: the site list, federated requests with a
 * per-site outcome, and the conversion of DICOM JSON to keyword records. No React, no Cornerstone.
 */
export { type Site, type SiteListResult, fetchSites, siteFromSummary } from './site';
export { type SiteOutcome, type SiteFailureKind, classifyFailure } from './outcome';
export { searchForStudies, searchForSeries, searchForInstances, retrieveSeriesMetadata, retrieveInstanceMetadata, type RequestOptions } from './siteClient';
export { askEverySite, type FederatedOptions } from './federatedSearch';
export {
  type DicomJsonDataset,
  type DicomJsonElement,
  type DicomRecord,
  naturalize,
  textOf,
  textsOf,
  numberOf,
  numbersOf,
  itemsOf,
  rawText,
} from './dicomJson';
export { checkSession, signIn, signOut, csrfHeaders, type SessionCheck, type SignInResult } from './gatewaySession';
export { planTransfer, startTransfer, transferStatus, retryTransfer, type TransferAnswer } from './transferClient';
export { fetchAuditEvents, auditSearch, NoAuditFilters, type AuditFilters, type AuditAnswer } from './auditClient';
export { planImport, stageImportInstance, commitImport, discardImport, type ImportAnswer } from './importClient';
