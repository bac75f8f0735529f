/** The sign-in page, and the banner that says when sign-in is switched off. */
import { useState, type FormEvent } from 'react';
import { useCrossview } from './storeContext';

export function SignIn() {
  const session = useCrossview((s) => s.session);
  const signIn = useCrossview((s) => s.signIn);
  const signInWithProvider = useCrossview((s) => s.signInWithProvider);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  if (session.kind !== 'signed-out') return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signIn(username.trim(), password).then((ok) => {
      if (!ok) setPassword('');
    });
  };
  const demo = session.options.demoAccount;
  const intro = session.expired ? 'Your session has ended. Sign in again to carry on where you were.' : 'Sign in once to see every hospital you are allowed to.';
  if (session.options.oidcStart) {
    // The organisation's sign-in service: no password is typed into Crossview.
    return (
      <main className="sign-in" data-sign-in="">
        <div className="sign-in-form" role="form" aria-label="Sign in to Crossview">
          <h1>Crossview</h1>
          <p>{intro}</p>
          <button type="button" onClick={signInWithProvider} disabled={session.busy === true} data-oidc-sign-in="">
            {session.busy ? 'Signing in…' : `Sign in with ${session.options.oidcProvider ?? 'your organisation'}`}
          </button>
          {session.options.oidcError && (
            <p className="sign-in-error" role="alert" data-sign-in-error="">
              {session.options.oidcError}
            </p>
          )}
        </div>
      </main>
    );
  }
  return (
    <main className="sign-in" data-sign-in="">
      <form className="sign-in-form" onSubmit={submit} aria-label="Sign in to Crossview">
        <h1>Crossview</h1>
        <p>{intro}</p>
        <label>
          Username
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={session.busy === true}>
          {session.busy ? 'Signing in…' : 'Sign in'}
        </button>
        {session.message && (
          <p className="sign-in-error" role="alert" data-sign-in-error="">
            {session.message}
          </p>
        )}
        {demo && (
          <p className="sign-in-demo" data-demo-account="">
            Embedded demo: username <kbd>{demo.username}</kbd>, password <kbd>{demo.password}</kbd>.
          </p>
        )}
      </form>
    </main>
  );
}

/** Who is signed in, with sign-out; or the permanent warning when sign-in is off. */
export function SessionBar() {
  const session = useCrossview((s) => s.session);
  const signOut = useCrossview((s) => s.signOut);
  if (session.kind !== 'signed-in') return null;
  if (session.info.mode === 'none') {
    return (
      <div className="no-sign-in-banner" role="status" data-no-sign-in="">
        No sign-in: this gateway lets anyone using this computer see every site. Configure accounts before sharing it.
      </div>
    );
  }
  return (
    <div className="session-bar" data-signed-in={session.info.username}>
      <span>{session.info.displayName}</span>
      {session.info.roles.includes('admin') && (
        <a href="/audit" data-audit-link="">
          Audit log
        </a>
      )}
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}
