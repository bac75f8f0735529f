/**
 * One person across hospitals: what was asked for, which records prove they belong to that
 * person (and on what basis), and the merged timeline of their studies.
 */
export { parseCxPatientId, parseDemographicSearch, linkIdFor, queryFromLinkId, type PatientQuery, type PatientQueryResult } from './patientQuery';
export { checkIdentity, nationalIdsOf, identityOfRecord, recordIdentity, type IdentityCheck } from './identityCheck';
export { buildTimeline, formatDicomDate, type TimelineStudy, type StudyLocation, type SiteStudy } from './timeline';
export {
  findPatientStudies,
  recheckSiteAnswer,
  studyQueriesFor,
  type PatientSearch,
  type SiteSearchResult,
  type PossibleMatch,
  type IndexHit,
  type IndexLookup,
  type FindOptions,
} from './findPatient';
export { decideLink, normaliseName, editDistance, type LinkDecision, type PatientAnchor, type PatientRecordIdentity } from './linking';
export { createIndexLookup } from './patientIndexClient';
export { formatPersonName } from './personName';
