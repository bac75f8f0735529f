/**
 * The browser's side of signing in to the gateway. The session itself is an httpOnly cookie the
 * page never sees; what the page keeps is the CSRF token it must send back on every request that
 * changes something (STOW, sends, imports), held here so every such request can add it.
 */
import { CsrfHeader, SessionInfoSchema, SessionPath, SignInOptionsSchema, type SessionInfo, type SignInOptions } from '../contracts/index';

let csrfToken: string | undefined;

/** Headers a state-changing request to the gateway needs (empty before sign-in). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { [CsrfHeader]: csrfToken } : {};
}

export type SessionCheck =
  | { kind: 'signed-in'; info: SessionInfo }
  | { kind: 'signed-out'; options: SignInOptions }
  | { kind: 'error'; message: string };

function remember(info: SessionInfo): SessionInfo {
  csrfToken = info.csrfToken;
  return info;
}

/** `GET /api/session`: who is signed in, or how to sign in. */
export async function checkSession(origin: string, fetchFn: typeof fetch = fetch): Promise<SessionCheck> {
  try {
    const response = await fetchFn(new URL(SessionPath, origin).href, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 200) {
      const info = SessionInfoSchema.safeParse(body);
      return info.success ? { kind: 'signed-in', info: remember(info.data) } : { kind: 'error', message: 'The gateway sent a session this viewer does not understand' };
    }
    if (response.status === 401) {
      csrfToken = undefined;
      const options = SignInOptionsSchema.safeParse(body);
      return { kind: 'signed-out', options: options.success ? options.data : { error: 'Not signed in', mode: 'local' } };
    }
    return { kind: 'error', message: `The gateway answered ${response.status} when asked who is signed in` };
  } catch (error) {
    return { kind: 'error', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}

export type SignInResult = { kind: 'signed-in'; info: SessionInfo } | { kind: 'refused'; message: string };

/** `POST /api/session` with the person's username and password. */
export async function signIn(origin: string, username: string, password: string, fetchFn: typeof fetch = fetch): Promise<SignInResult> {
  try {
    const response = await fetchFn(new URL(SessionPath, origin).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ username, password }),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 200) {
      const info = SessionInfoSchema.safeParse(body);
      if (info.success) return { kind: 'signed-in', info: remember(info.data) };
      return { kind: 'refused', message: 'The gateway sent a session this viewer does not understand' };
    }
    const error = typeof (body as { error?: unknown } | undefined)?.error === 'string' ? (body as { error: string }).error : `HTTP ${response.status}`;
    return { kind: 'refused', message: error };
  } catch (error) {
    return { kind: 'refused', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}

/** `DELETE /api/session`; the cookie is cleared by the gateway. */
export async function signOut(origin: string, fetchFn: typeof fetch = fetch): Promise<void> {
  const headers = csrfHeaders();
  csrfToken = undefined;
  await fetchFn(new URL(SessionPath, origin).href, { method: 'DELETE', headers, credentials: 'same-origin' }).catch(() => undefined);
}
