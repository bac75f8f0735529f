/**
 * Signing in with an OpenID Connect provider: authorisation code + PKCE (S256), state and nonce,
 * through `openid-client`. The flow's secrets (state, nonce, code verifier, where to return) ride
 * in a short-lived signed httpOnly cookie, not in this process's memory, so whichever gateway
 * instance the provider sends the browser back to can finish the sign-in. Discovery is lazy and
 * retried: a provider that is down at start does not stop the gateway, it only makes sign-in say
 * so until it is back. The session made at the end is the same `cv_session` cookie as a local
 * sign-in; the provider's tokens are not kept.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { z } from 'zod';
import { RoleValues, SessionPath, type CrossviewConfig, type Role } from '../../contracts/index';
import type { AuditRecord } from './sessionGate';

export const OidcStartPath = `${SessionPath}/oidc/start`;
export const OidcCallbackPath = `${SessionPath}/oidc/callback`;
const FlowCookie = 'cv_oidc';
const ErrorCookie = 'cv_oidc_error';
const FlowSeconds = 10 * 60;
const ProviderTimeoutS = 10;

export type OidcConfig = NonNullable<CrossviewConfig['auth']['oidc']>;

/** Who the provider says signed in, in Crossview's terms. */
export interface OidcIdentity {
  username: string;
  displayName: string;
  roles: Role[];
  sites: '*' | string[];
}

export type OidcFailure = 'provider-down' | 'no-flow' | 'state' | 'denied' | 'rejected' | 'no-identity';

const FailureMessages: Record<OidcFailure, string> = {
  'provider-down': 'The sign-in service could not be reached. Try again in a minute; if it persists, tell IT.',
  'no-flow': 'That sign-in had expired or was started in another browser. Please sign in again.',
  state: 'That sign-in answer did not match the one this browser started, so it was refused. Please sign in again.',
  denied: 'The sign-in service did not sign you in (cancelled or not allowed).',
  rejected: 'The sign-in service sent an answer Crossview could not accept. Please sign in again; if it persists, tell IT.',
  'no-identity': 'The sign-in service did not say who you are, so Crossview cannot sign you in.',
};

const FlowSchema = z.object({
  /** state */
  s: z.string(),
  /** nonce */
  n: z.string(),
  /** PKCE code verifier */
  v: z.string(),
  /** same-origin path to return to */
  r: z.string(),
  /** expiry, ms since epoch */
  e: z.number(),
});
type Flow = z.infer<typeof FlowSchema>;

export interface OidcSignInOptions {
  oidc: OidcConfig;
  /** The session secret; the flow cookie is signed with a key derived from it. */
  secret: Buffer;
  /** Makes the `cv_session` Set-Cookie value for this person (the gate's, shared with local sign-in). */
  sessionCookie(req: IncomingMessage, identity: OidcIdentity): string;
  /** Whether cookies for this request must be `Secure`. */
  isSecure(req: IncomingMessage): boolean;
  audit(record: AuditRecord): void;
  log(line: string): void;
}

export interface OidcSignIn {
  /** For the sign-in button. */
  providerName: string;
  /** `/api/session/oidc/*`; false when the path is not one of ours. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Why the last sign-in in this browser failed, once: returns the cookie that clears it too. */
  takeError(req: IncomingMessage): { message: string; clearCookie: string } | undefined;
  /** Starts discovery in the background so a misconfiguration shows in the log at start. */
  warmUp(): void;
}

/** Control characters (CR/LF included): never in a header we write or a name we show. */
const hasControl = (value: string) => [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A same-origin path to go back to after sign-in; anything else (other hosts, `//x`, `/\x`) is `/`. */
export function safeReturnPath(given: string | null | undefined): string {
  if (!given || given.length > 2048 || !given.startsWith('/') || given.startsWith('//') || given.includes('\\') || hasControl(given)) return '/';
  const base = new URL('http://crossview.invalid');
  const resolved = new URL(given, base);
  if (resolved.origin !== base.origin) return '/';
  // Never land on an API answer: the app routes are what a person returns to.
  if (resolved.pathname.startsWith('/api/') || resolved.pathname.startsWith('/sites/')) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  // Nested claims such as Keycloak's `realm_access.roles`; a URL-like name was tried whole above.
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

const printable = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !hasControl(value) ? value : undefined;

/**
 * The provider's claims as a Crossview person. Roles: the known ones in `rolesClaim`, else
 * `clinician` (the least a signed-in person can be; `admin` only when the provider says so).
 * Sites: those in `sitesClaim` (`"*"` for every site), else none — a person the provider has not
 * been told about must not see every hospital's patients by default.
 * @example identityFromClaims({ sub: 'u1', preferred_username: 'jsmith', crossview_sites: ['site-a'] }, oidc)
 */
export function identityFromClaims(claims: Record<string, unknown>, oidc: Pick<OidcConfig, 'rolesClaim' | 'sitesClaim'>): OidcIdentity | undefined {
  const username = printable(claims.preferred_username, 128) ?? printable(claims.sub, 255);
  if (!username) return undefined;
  const known = new Set<string>(RoleValues);
  const roles = [...new Set((stringList(claimAt(claims, oidc.rolesClaim)) ?? []).filter((role) => known.has(role)))] as Role[];
  const siteList = (stringList(claimAt(claims, oidc.sitesClaim)) ?? []).filter((site) => site.length <= 64);
  return {
    username,
    displayName: printable(claims.name, 200) ?? username,
    roles: roles.length > 0 ? roles : ['clinician'],
    sites: siteList.includes('*') ? '*' : [...new Set(siteList)],
  };
}

/** A network failure or timeout talking to the provider (as opposed to an answer we refuse). */
function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(String((e as { code?: unknown }).code ?? ''))) return true;
  }
  return false;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createOidcSignIn(options: OidcSignInOptions): OidcSignIn {
  const { oidc, audit, log } = options;
  const issuer = new URL(oidc.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopbackHostname(issuer.hostname)) {
    throw new Error(`auth.oidc.issuer must be an https URL (plain http only for a provider on this machine), not ${oidc.issuer}`);
  }
  const providerName = oidc.displayName ?? issuer.host;
  // A key of its own, so a flow cookie can never pass for a session cookie or the reverse.
  const flowKey = createHmac('sha256', options.secret).update('crossview oidc flow v1').digest();
  const mac = (body: string) => createHmac('sha256', flowKey).update(body).digest();

  let discovering: Promise<client.Configuration> | undefined;
  function configuration(): Promise<client.Configuration> {
    discovering ??= client
      .discovery(issuer, oidc.clientId, oidc.clientSecret, oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None(), {
        timeout: ProviderTimeoutS,
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        // Not cached: the next sign-in tries the provider again.
        discovering = undefined;
        throw error;
      });
    return discovering;
  }

  const attributes = (req: IncomingMessage, path: string) => `Path=${path}; HttpOnly; SameSite=Lax${options.isSecure(req) ? '; Secure' : ''}`;
  // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
  const flowCookie = (req: IncomingMessage, flow: Flow) => {
    const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${FlowCookie}=${body}.${mac(body).toString('base64url')}; ${attributes(req, OidcCallbackPath)}; Max-Age=${FlowSeconds}`;
  };
  const clearFlowCookie = (req: IncomingMessage) => `${FlowCookie}=; ${attributes(req, OidcCallbackPath)}; Max-Age=0`;
  const errorCookie = (req: IncomingMessage, failure: OidcFailure) => `${ErrorCookie}=${failure}; ${attributes(req, SessionPath)}; Max-Age=120`;

  function readFlow(req: IncomingMessage): Flow | undefined {
    const token = readCookie(req, FlowCookie);
    const dot = token?.indexOf('.') ?? -1;
    if (!token || dot <= 0 || token.length > 4096) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const flow = FlowSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return flow.success && flow.data.e > Date.now() ? flow.data : undefined;
    } catch {
      return undefined;
    }
  }

  function redirect(res: ServerResponse, location: string, cookies: string[]): void {
    res.writeHead(303, { Location: location, 'Set-Cookie': cookies, 'Cache-Control': 'no-store' }).end();
  }

  /** Back to the app, which shows the message on its sign-in page; audited without PHI. */
  function fail(req: IncomingMessage, res: ServerResponse, failure: OidcFailure, returnTo: string, detail: string, user = 'unknown'): void {
    audit({ user, site: null, action: 'sign-in-failed', patientIds: [], studyUid: null, outcome: failure === 'provider-down' ? 'failed' : 'denied', detail: `oidc ${failure}: ${detail}`.slice(0, 200) });
    redirect(res, returnTo, [clearFlowCookie(req), errorCookie(req, failure)]);
  }

  async function start(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const returnTo = safeReturnPath(url.searchParams.get('returnTo'));
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      log(`gateway: OpenID provider discovery failed (${(error as Error).message})`);
      fail(req, res, 'provider-down', returnTo, 'discovery failed');
      return;
    }
    const verifier = client.randomPKCECodeVerifier();
    const flow: Flow = { s: client.randomState(), n: client.randomNonce(), v: verifier, r: returnTo, e: Date.now() + FlowSeconds * 1000 };
    const target = client.buildAuthorizationUrl(config, {
      redirect_uri: oidc.redirectUri,
      scope: oidc.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.s,
      nonce: flow.n,
    });
    redirect(res, target.href, [flowCookie(req, flow)]);
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const flow = readFlow(req);
    if (!flow) {
      fail(req, res, 'no-flow', '/', 'no valid flow cookie');
      return;
    }
    if (url.searchParams.get('state') !== flow.s) {
      fail(req, res, 'state', flow.r, 'state mismatch');
      return;
    }
    const providerError = url.searchParams.get('error');
    if (providerError) {
      const code = providerError.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40);
      fail(req, res, /^(access_denied|login_required|consent_required|interaction_required|account_selection_required)$/.test(code) ? 'denied' : 'rejected', flow.r, code);
      return;
    }
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch {
      fail(req, res, 'provider-down', flow.r, 'discovery failed');
      return;
    }
    // openid-client checks the response against the redirect URI the provider was given.
    const current = new URL(oidc.redirectUri);
    current.search = url.search;
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.v, expectedState: flow.s, expectedNonce: flow.n, idTokenExpected: true });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      claims = { ...idClaims };
      // Many providers put profile and custom claims only in UserInfo; the ID token wins where both say.
      const missing = [oidc.rolesClaim, oidc.sitesClaim, 'preferred_username', 'name'].some((name) => claimAt(claims, name) === undefined);
      if (missing && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
        const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...claims };
      }
    } catch (error) {
      const unreachable = isUnreachable(error);
      log(`gateway: OpenID sign-in ${unreachable ? 'could not reach the provider' : 'refused the provider\'s answer'} (${(error as Error).message})`);
      fail(req, res, unreachable ? 'provider-down' : 'rejected', flow.r, unreachable ? 'provider unreachable' : (error as { code?: string }).code ?? 'invalid response');
      return;
    }
    const identity = identityFromClaims(claims, oidc);
    if (!identity) {
      fail(req, res, 'no-identity', flow.r, 'no usable sub or preferred_username');
      return;
    }
    audit({ user: identity.username, site: null, action: 'sign-in', patientIds: [], studyUid: null, outcome: 'ok', detail: 'oidc' });
    redirect(res, flow.r, [clearFlowCookie(req), options.sessionCookie(req, identity)]);
  }

  return {
    providerName,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://crossview.invalid');
      const route = url.pathname === OidcStartPath ? start : url.pathname === OidcCallbackPath ? callback : undefined;
      if (!route) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return true;
      }
      await route(req, res, url);
      return true;
    },
    takeError(req) {
      const failure = readCookie(req, ErrorCookie) as OidcFailure | undefined;
      if (!failure || !Object.hasOwn(FailureMessages, failure)) return undefined;
      return { message: FailureMessages[failure], clearCookie: `${ErrorCookie}=; ${attributes(req, SessionPath)}; Max-Age=0` };
    },
    warmUp() {
      configuration().then(
        () => log(`gateway: OpenID provider ${providerName} discovered`),
        (error: unknown) => log(`gateway: OpenID provider ${providerName} not reachable yet (${(error as Error).message}); sign-in will try again`),
      );
    },
  };
}
