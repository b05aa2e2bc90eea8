import type { ComponentChildren } from 'preact';

export function Loading({ what }: { what: string }) {
  return <p class="state loading" role="status" aria-live="polite">Loading {what}…</p>;
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="state error" role="alert">
      <strong>Could not load:</strong> {error.message}
      {retry && <button type="button" class="secondary" onClick={retry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state empty">{children}</div>;
}

/** A button the caller's role may not press: shown, disabled, and saying why. */
export function RoleButton({ allowed, needed, onClick, children, busy }: {
  allowed: boolean; needed: string; onClick: () => void; children: ComponentChildren; busy?: boolean;
}) {
  return (
    <button type="button" disabled={!allowed || busy} onClick={onClick}
            title={allowed ? undefined : `needs the ${needed} role`} aria-disabled={!allowed}>
      {children}
    </button>
  );
}
