import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, type Session } from './api';
import { Layout } from './components/Layout';
import { ErrorBox, Loading } from './components/States';
import { useRoute } from './hooks';
import { AddRegion } from './pages/AddRegion';
import { Clusters } from './pages/Clusters';
import { Consistency } from './pages/Consistency';
import { Events } from './pages/Events';
import { Fleet } from './pages/Fleet';
import { LinkDetail } from './pages/LinkDetail';
import { Overview } from './pages/Overview';
import { SignIn } from './pages/SignIn';
import './style.css';

function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = () => api.session().then((s) => { setCsrfToken(s.csrfToken); setSession(s); setError(null); }, setError);
  useEffect(() => { void load(); }, []);

  if (error) return <main id="main"><ErrorBox error={error} retry={load} /></main>;
  if (!session) return <main id="main"><Loading what="your session" /></main>;
  if (!session.authenticated) {
    return <SignIn onSignedIn={(s) => { setCsrfToken(s.csrfToken); setSession(s); }} />;
  }
  const signOut = async () => {
    await api.signOut();
    setCsrfToken(null);
    setSession({ authenticated: false, name: null, role: null, via: null, csrfToken: null, expiresAt: null });
  };
  let page;
  if (route.startsWith('/links/')) {
    page = <LinkDetail id={decodeURIComponent(route.slice('/links/'.length))} session={session} />;
  } else if (route === '/clusters') {
    page = <Clusters />;
  } else if (route === '/consistency') {
    page = <Consistency session={session} />;
  } else if (route === '/events') {
    page = <Events />;
  } else if (route === '/fleet') {
    page = <Fleet />;
  } else if (route === '/add') {
    page = <AddRegion session={session} />;
  } else {
    page = <Overview />;
  }
  return <Layout route={route} session={session} onSignOut={signOut}>{page}</Layout>;
}

const root = document.getElementById('app')!;
root.replaceChildren(); // the "Loading" placeholder of index.html, which Preact would otherwise keep
render(<App />, root);
