/**
 * Who is asking: every `/api` and `/sites` request passes through here. Local accounts (scrypt),
 * an OpenID Connect provider (`oidc.ts`), or sign-in switched off on a loopback-only workstation; a signed session cookie carries the
 * person, their roles, their sites and a CSRF token. Requests the gateway makes to itself (the
 * indexer, transfers) carry a per-process secret instead.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import {
  AccountListSchema,
  SessionPath,
  CsrfHeader,
  LoginRequestSchema,
  SessionCookie,
  type Account,
  type AuditEvent,
  type CrossviewConfig,
  type Role,
  type SessionInfo,
  type SignInOptions,
} from '../../contracts/index';
import { readJsonBody, sendError, sendJson } from '../httpUtil';
import { createLoginThrottle } from './loginThrottle';
import { createOidcSignIn, OidcStartPath, type OidcIdentity, type OidcSignIn } from './oidc';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { createSessionSigner, randomToken, type SessionPayload } from './sessionToken';

export const InternalHeader = 'x-crossview-internal';

export interface Principal {
  username: string;
  displayName: string;
  roles: Role[];
  sites: '*' | string[];
  /** Audit summaries are kept per session. */
  sessionId: string;
  csrfToken: string;
  /** `internal`: the gateway's own loopback requests; `workstation`: sign-in switched off. */
  kind: 'user' | 'internal' | 'workstation';
}

export type AuditRecord = Omit<AuditEvent, 'time' | 'gateway'>;

export interface SessionGateOptions {
  config: CrossviewConfig;
  env: NodeJS.ProcessEnv;
  /** The address the gateway listens on: `auth.mode: "none"` needs a loopback one. */
  host: string;
  /** Shown on the sign-in page of the embedded demo only. */
  demoAccount?: { username: string; password: string };
  log: (line: string) => void;
  audit: (record: AuditRecord) => void;
}

export interface SessionGate {
  mode: 'local' | 'oidc' | 'none';
  /** The person behind a request, or undefined (answer 401). */
  authenticate(req: IncomingMessage): Principal | undefined;
  /** State-changing requests must echo the session's CSRF token. */
  passesCsrf(req: IncomingMessage, principal: Principal): boolean;
  maySee(principal: Principal, siteId: string): boolean;
  /** `/api/session`: GET who am I, POST sign in, DELETE sign out; `/api/session/oidc/*` too. */
  handleSessionRoute(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Headers for the gateway's requests to itself. */
  internalHeaders(): Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function loadAccounts(config: CrossviewConfig): Account[] {
  const accounts = [...config.auth.accounts];
  if (config.auth.accountsFile) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(config.auth.accountsFile, 'utf8'));
    } catch (error) {
      throw new Error(`auth.accountsFile ${config.auth.accountsFile}: cannot read it as JSON (${(error as Error).message})`);
    }
    const parsed = AccountListSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new Error(`auth.accountsFile ${config.auth.accountsFile}: [${first.path.join('.')}] ${first.message}`);
    }
    accounts.push(...parsed.data);
  }
  const seen = new Set<string>();
  for (const account of accounts) {
    const key = account.username.toLowerCase();
    if (seen.has(key)) throw new Error(`auth: the username "${account.username}" is listed twice`);
    seen.add(key);
  }
  return accounts;
}

/** Session secret shared by every instance behind one load balancer; else one per process. */
function sessionSecret(env: NodeJS.ProcessEnv, log: (line: string) => void): Buffer {
  const given = env.CROSSVIEW_SESSION_SECRET;
  if (given) {
    if (given.length < 32) throw new Error('CROSSVIEW_SESSION_SECRET must be at least 32 characters');
    return Buffer.from(given, 'utf8');
  }
  log('gateway: sessions are signed with a key made at start (set CROSSVIEW_SESSION_SECRET to share sessions across gateway instances and restarts)');
  return Buffer.from(randomToken(32), 'utf8');
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function createSessionGate(options: SessionGateOptions): SessionGate {
  const { config, log, audit } = options;
  const mode = config.auth.mode;
  if (mode === 'none' && !isLoopbackHost(options.host)) {
    throw new Error(`auth.mode "none" is allowed only while the gateway listens on loopback (HOST=127.0.0.1), not on ${options.host}: configure accounts`);
  }
  const accounts = new Map(loadAccounts(config).map((account) => [account.username.toLowerCase(), account]));
  if (mode === 'local' && accounts.size === 0) log('gateway: no accounts are configured (auth.accounts or auth.accountsFile), so nobody can sign in');
  const secret = sessionSecret(options.env, log);
  const signer = createSessionSigner(secret);
  const throttle = createLoginThrottle();
  const internalToken = randomToken(32);
  const sessionMs = config.auth.sessionMinutes * 60_000;
  const workstation: Principal = {
    username: 'workstation',
    displayName: 'This workstation (no sign-in)',
    roles: ['clinician', 'admin'],
    sites: '*',
    sessionId: randomToken(9),
    csrfToken: randomToken(),
    kind: 'workstation',
  };
  const internal: Principal = { ...workstation, username: 'gateway', displayName: 'Crossview gateway', kind: 'internal', csrfToken: internalToken };

  const fromPayload = (payload: SessionPayload): Principal => ({
    username: payload.u,
    displayName: payload.n,
    roles: payload.r,
    sites: payload.s,
    sessionId: payload.i,
    csrfToken: payload.c,
    kind: 'user',
  });

  /** The `cv_session` Set-Cookie value for a new session, local or OpenID Connect. */
  function newSession(req: IncomingMessage, person: OidcIdentity): { cookie: string; payload: SessionPayload } {
    const payload: SessionPayload = { v: 1, u: person.username, n: person.displayName, r: person.roles, s: person.sites, c: randomToken(), i: randomToken(9), e: Date.now() + sessionMs };
    return { cookie: `${SessionCookie}=${signer.sign(payload)}; ${cookieAttributes(req)}; Max-Age=${Math.floor(sessionMs / 1000)}`, payload };
  }

  // Discovery is lazy (first sign-in) and retried, so a provider that is down does not stop the gateway.
  const oidc: OidcSignIn | undefined =
    mode === 'oidc' && config.auth.oidc
      ? createOidcSignIn({ oidc: config.auth.oidc, secret, sessionCookie: (req, person) => newSession(req, person).cookie, isSecure, audit, log })
      : undefined;
  oidc?.warmUp();

  function authenticate(req: IncomingMessage): Principal | undefined {
    if (sameSecret(req.headers[InternalHeader], internalToken)) return internal;
    if (mode === 'none') return workstation;
    const cookie = readCookie(req, SessionCookie);
    const payload = cookie ? signer.verify(cookie) : undefined;
    if (!payload) return undefined;
    // The provider decides who may sign in; its sessions last until they expire.
    if (mode === 'oidc') return fromPayload(payload);
    // An account removed from the config loses access at its next request, not at expiry.
    return accounts.has(payload.u.toLowerCase()) ? fromPayload(payload) : undefined;
  }

  function sessionInfo(principal: Principal, expiresAt: number): SessionInfo {
    return {
      username: principal.username,
      displayName: principal.displayName,
      roles: principal.roles,
      sites: principal.sites,
      csrfToken: principal.csrfToken,
      mode,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  function isSecure(req: IncomingMessage): boolean {
    return req.headers['x-forwarded-proto'] === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
  }

  function cookieAttributes(req: IncomingMessage): string {
    return `Path=/; HttpOnly; SameSite=Strict${isSecure(req) ? '; Secure' : ''}`;
  }

  function signInOptions(error: string, oidcError?: string): SignInOptions {
    return {
      error,
      mode,
      ...(options.demoAccount ? { demoAccount: options.demoAccount } : {}),
      ...(oidc ? { oidcStart: OidcStartPath, oidcProvider: oidc.providerName } : {}),
      ...(oidcError ? { oidcError } : {}),
    };
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A JSON body cannot be sent cross-site without a CORS preflight we never grant: no login CSRF.
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendError(res, 415, { error: 'Sign-in takes a JSON body {"username", "password"}' });
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, 4096);
    } catch {
      sendError(res, 400, { error: 'Sign-in takes a JSON body {"username", "password"}' });
      return;
    }
    const parsed = LoginRequestSchema.safeParse(body);
    if (!parsed.success) {
      sendError(res, 400, { error: 'Sign-in takes a JSON body {"username", "password"}' });
      return;
    }
    const { username, password } = parsed.data;
    const address = clientAddress(req);
    const wait = throttle.retryAfterS(username, address);
    if (wait > 0) {
      audit({ user: username, site: null, action: 'sign-in-failed', patientIds: [], studyUid: null, outcome: 'denied', detail: 'throttled' });
      res.setHeader('Retry-After', String(wait));
      sendError(res, 429, { error: `Too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute(s)` });
      return;
    }
    const account = accounts.get(username.toLowerCase());
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) {
      throttle.failed(username, address);
      audit({ user: username, site: null, action: 'sign-in-failed', patientIds: [], studyUid: null, outcome: 'denied' });
      sendError(res, 401, { error: 'Wrong username or password' });
      return;
    }
    throttle.succeeded(username);
    const { cookie, payload } = newSession(req, { username: account.username, displayName: account.displayName ?? account.username, roles: account.roles, sites: account.sites });
    res.setHeader('Set-Cookie', cookie);
    audit({ user: account.username, site: null, action: 'sign-in', patientIds: [], studyUid: null, outcome: 'ok' });
    sendJson(res, 200, sessionInfo(fromPayload(payload), payload.e));
  }

  async function handleSessionRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== SessionPath) {
      if (!(await oidc?.handle(req, res))) sendError(res, 404, { error: 'Not found' });
      return;
    }
    if (method === 'POST') {
      if (mode === 'none') {
        sendError(res, 409, { error: 'Sign-in is switched off on this workstation' });
        return;
      }
      if (oidc) {
        sendError(res, 409, { error: `This gateway signs in with ${oidc.providerName}: open ${OidcStartPath}` });
        return;
      }
      await signIn(req, res);
      return;
    }
    const principal = authenticate(req);
    if (method === 'GET') {
      if (!principal) {
        // A failed OpenID sign-in is said once, on the sign-in page the browser came back to.
        const failed = oidc?.takeError(req);
        if (failed) res.setHeader('Set-Cookie', failed.clearCookie);
        sendJson(res, 401, signInOptions('Not signed in', failed?.message));
        return;
      }
      const payload = principal.kind === 'user' ? signer.verify(readCookie(req, SessionCookie) ?? '') : undefined;
      sendJson(res, 200, sessionInfo(principal, payload?.e ?? Date.now() + sessionMs));
      return;
    }
    if (method === 'DELETE') {
      if (principal && !passesCsrf(req, principal)) {
        sendError(res, 403, { error: 'Missing or wrong CSRF token' });
        return;
      }
      if (principal?.kind === 'user') audit({ user: principal.username, site: null, action: 'sign-out', patientIds: [], studyUid: null, outcome: 'ok' });
      res.setHeader('Set-Cookie', `${SessionCookie}=; ${cookieAttributes(req)}; Max-Age=0`);
      res.writeHead(204).end();
      return;
    }
    res.setHeader('Allow', 'GET, POST, DELETE');
    sendError(res, 405, { error: 'Method not allowed' });
  }

  function passesCsrf(req: IncomingMessage, principal: Principal): boolean {
    if (SAFE_METHODS.has(req.method ?? 'GET')) return true;
    if (principal.kind === 'internal') return true;
    return sameSecret(req.headers[CsrfHeader], principal.csrfToken);
  }

  return {
    mode,
    authenticate,
    passesCsrf,
    maySee: (principal, siteId) => principal.sites === '*' || principal.sites.includes(siteId),
    handleSessionRoute,
    internalHeaders: () => ({ [InternalHeader]: internalToken }),
  };
}
