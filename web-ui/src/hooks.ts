import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  refresh: () => void;
}

/** Calls {@code load} now and every {@code everyMs} while the page is open; keeps the last good answer on errors. */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => { if (mine === generation.current) { setData(value); setError(undefined); setLoading(false); } },
      (e: Error) => { if (mine === generation.current) { setError(e); setLoading(false); } },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setLoading(true);
    setData(undefined);
    run();
    const timer = setInterval(run, everyMs);
    return () => { clearInterval(timer); generation.current++; };
  }, [run, everyMs]);
  return { data, error, loading, refresh: run };
}

/** The part of the URL after '#', as a path: '#/links/a.b' → '/links/a.b'. */
export function useRoute(): string {
  const read = () => (window.location.hash.replace(/^#/, '') || '/');
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
