import { useState } from 'preact/hooks';
import { ApiError, api, type Session } from '../api';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (token.trim() === '') {
      setError('Paste an API token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(token.trim()));
    } catch (err) {
      setError(err instanceof ApiError
        ? (err.problem.errors?.[0]?.message ? `The token ${err.problem.errors[0].message}.` : err.message)
        : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <h1>redmesh</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" value={token}
               aria-invalid={error ? 'true' : undefined} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <p id="signin-help" class="hint">Sign in with a VIEWER, OPERATOR or ADMIN token: what you may do follows its role
          (WORKER and PROXY tokens are for machines). A fresh install wrote an admin token to <code>.redmesh/admin-token</code>.</p>
        {error && <p class="field-error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
