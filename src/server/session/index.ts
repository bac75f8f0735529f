/** Signing in, sessions and who may see which site. */
export { createSessionGate, isLoopbackHost, InternalHeader, type Principal, type SessionGate, type SessionGateOptions, type AuditRecord } from './sessionGate';
export { OidcStartPath, OidcCallbackPath, identityFromClaims, safeReturnPath, type OidcIdentity } from './oidc';
export { hashPassword, verifyPassword } from './passwords';
export { createLoginThrottle, type LoginThrottle } from './loginThrottle';
export { createSessionSigner, type SessionSigner, type SessionPayload } from './sessionToken';
