/**
 * Sending a study to another hospital: `/api/transfers` routes, the per-study job (QIDO → WADO-RS
 * → identity coercion → STOW-RS, instance by instance) and the loopback access to sites it uses.
 *
 * @example
 * const transfers = createTransferRoutes({ sites: createLoopbackTransferSites(url, timeout, headers), ... });
 * if (pathname.startsWith(TransfersPath)) await transfers.handle(req, res, pathname, search, principal);
 */
export { createTransferRoutes, type TransferRoutes, type TransferRoutesOptions } from './transferRoutes';
export { createLoopbackTransferSites, type TransferSites, type InstanceRef, type Outcome } from './transferSites';
export { createTransferJob, type TransferJob, type TransferJobOptions } from './job';
export { coerceIdentity, type CoercedIdentity } from './coerce';
