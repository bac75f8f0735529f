/**
 * Importing local files (a CD, a folder) into a hospital: `/api/imports` routes, reconciliation
 * with the site's patient (national ID, then name and birth date with confirmation), staging on
 * disk and an all-or-nothing commit by STOW-RS through the transfer's loopback site access.
 *
 * @example
 * const imports = createLoopbackImportRoutes({ gatewayUrl: () => url, timeoutMs, internalHeaders, ... });
 * if (imports.handles(pathname)) await imports.handle(req, res, pathname, principal);
 */
export { createImportRoutes, createLoopbackImportRoutes, type ImportRoutes, type ImportRoutesOptions, type LoopbackImportOptions } from './importRoutes';
export { createLoopbackStudyQuery, type StudyQuery } from './siteQuery';
export { reconcile, attributeChanges, sourcePatientOf, type SourcePatient, type ReconcileContext } from './reconcile';
