import type { ComponentChildren } from 'preact';
import type { Session } from '../api';

const NAV: [string, string][] = [
  ['#/', 'Overview'], ['#/clusters', 'Clusters'], ['#/consistency', 'Consistency'], ['#/events', 'Events'], ['#/fleet', 'Fleet'], ['#/add', 'Add region'],
];

export function Layout({ route, session, onSignOut, children }: {
  route: string; session: Session; onSignOut: () => void; children: ComponentChildren;
}) {
  const current = (href: string) => {
    const path = href.slice(1);
    return path === '/' ? route === '/' || route.startsWith('/links/') : route.startsWith(path);
  };
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">redmesh</a>
        <nav aria-label="main">
          {NAV.map(([href, label]) => (
            <a href={href} aria-current={current(href) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <div class="who">
          <span title={`signed in as ${session.name}`}>{session.name} <span class="role">{session.role}</span></span>
          {session.via === 'SESSION' && <button type="button" class="secondary" onClick={onSignOut}>Sign out</button>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
