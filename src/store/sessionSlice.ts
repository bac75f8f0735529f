/** Who is signed in. The app waits for this before asking any site for anything. */
import type { StateCreator } from 'zustand';
import type { SessionInfo, SignInOptions } from '../contracts/index';
import { checkSession, signIn, signOut } from '../sites/index';
import type { CrossviewState } from './store';

export type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed-out'; options: SignInOptions; message?: string; busy?: boolean; expired?: boolean }
  | { kind: 'signed-in'; info: SessionInfo }
  | { kind: 'error'; message: string };

export interface SessionSlice {
  session: SessionState;
  /** Asks the gateway; resolves true when someone is signed in. */
  checkSession(): Promise<boolean>;
  signIn(username: string, password: string): Promise<boolean>;
  /** Leaves for the OpenID Connect provider; the gateway brings the browser back to this page. */
  signInWithProvider(): void;
  signOut(): Promise<void>;
}

export const createSessionSlice =
  (origin: string): StateCreator<CrossviewState, [], [], SessionSlice> =>
  (set, get) => ({
    session: { kind: 'checking' },
    async checkSession() {
      const was = get().session;
      const result = await checkSession(origin);
      if (result.kind === 'signed-in') set({ session: { kind: 'signed-in', info: result.info } });
      else if (result.kind === 'signed-out') set({ session: { kind: 'signed-out', options: result.options, expired: was.kind === 'signed-in' } });
      else if (was.kind !== 'signed-in') set({ session: { kind: 'error', message: result.message } });
      return get().session.kind === 'signed-in';
    },
    async signIn(username, password) {
      const was = get().session;
      const options = was.kind === 'signed-out' ? was.options : ({ error: '', mode: 'local' } as SignInOptions);
      set({ session: { kind: 'signed-out', options, busy: true, expired: was.kind === 'signed-out' && was.expired === true } });
      const result = await signIn(origin, username, password);
      if (result.kind === 'signed-in') {
        set({ session: { kind: 'signed-in', info: result.info } });
        return true;
      }
      set({ session: { kind: 'signed-out', options, message: result.message, expired: was.kind === 'signed-out' && was.expired === true } });
      return false;
    },
    signInWithProvider() {
      const session = get().session;
      const start = session.kind === 'signed-out' ? session.options.oidcStart : undefined;
      if (session.kind !== 'signed-out' || !start) return;
      set({ session: { ...session, busy: true, message: undefined } });
      const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
      window.location.assign(`${new URL(start, origin).pathname}?returnTo=${encodeURIComponent(here)}`);
    },
    async signOut() {
      await signOut(origin);
      // Nothing of the last person's patient may stay on screen.
      window.location.assign('/');
    },
  });
