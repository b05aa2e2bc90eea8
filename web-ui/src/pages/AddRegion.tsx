import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, can, type Cluster, type Session } from '../api';
import { Empty } from '../components/States';
import {
  type AddRegionInput, clusterBody, emptyInput, type FieldErrors, fieldErrorsFrom, missingNames, regionBody,
} from '../form';

/** Region + cluster + mesh in one form, through the same two PUTs a CI pipeline makes, then followed until ready. */
export function AddRegion({ session }: { session: Session }) {
  const [input, setInput] = useState<AddRegionInput>(emptyInput());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);
  const allowed = can(session.role, 'ADMIN');

  const set = <K extends keyof AddRegionInput>(key: K, value: AddRegionInput[K]) => setInput({ ...input, [key]: value });

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems = missingNames(input);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      document.getElementById(`f-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    let step: 'region' | 'cluster' = 'region';
    // a refused cluster must not leave behind the region this form just made for it
    const isNew = await api.region(input.region).then(() => false, (err) => err instanceof ApiError && err.status === 404);
    try {
      await api.putRegion(input.region, regionBody(input));
      step = 'cluster';
      await api.putCluster(input.cluster, clusterBody(input));
      setFollowing(input.cluster);
    } catch (err) {
      if (step === 'cluster' && isNew) await api.deleteRegion(input.region).catch(() => undefined);
      setErrors(err instanceof ApiError ? fieldErrorsFrom(err.problem, step, input) : { form: String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (following) return <Follow cluster={following} onAnother={() => { setFollowing(null); setInput(emptyInput()); }} />;

  const field = (key: keyof AddRegionInput, label: string, control: preact.JSX.Element, help?: string) => (
    <div class={`field ${errors[key] ? 'invalid' : ''}`}>
      <label for={`f-${key}`}>{label}</label>
      {control}
      {help && <small id={`h-${key}`}>{help}</small>}
      {errors[key] && <span class="field-error" id={`e-${key}`} role="alert">{errors[key]}</span>}
    </div>
  );
  const text = (key: keyof AddRegionInput, extra: Record<string, unknown> = {}) => (
    <input id={`f-${key}`} name={key} value={input[key] as string} disabled={!allowed}
           aria-invalid={errors[key] ? 'true' : undefined} aria-describedby={errors[key] ? `e-${key}` : `h-${key}`}
           onInput={(e) => set(key, (e.target as HTMLInputElement).value as never)} {...extra} />
  );

  return (
    <>
      <h1>Add a region</h1>
      {!allowed && <p class="hint" role="note">Adding regions needs the ADMIN role; you are {session.role}. The form is shown for reference.</p>}
      <form class="add-region" onSubmit={submit} noValidate aria-describedby="form-error">
        <fieldset disabled={!allowed || busy}>
          <legend>Region</legend>
          {field('region', 'Name', text('region', { placeholder: 'eu-west-1', autocomplete: 'off' }), 'lower-case letters, digits and -')}
          {field('displayName', 'Display name', text('displayName', { placeholder: 'Ireland' }))}
          {field('cloud', 'Cloud', text('cloud', { placeholder: 'aws' }))}
        </fieldset>
        <fieldset disabled={!allowed || busy}>
          <legend>Redis deployment</legend>
          {field('cluster', 'Cluster name', text('cluster', { placeholder: 'orders-eu', autocomplete: 'off' }))}
          {field('mode', 'Mode', (
            <select id="f-mode" name="mode" value={input.mode} disabled={!allowed}
                    onChange={(e) => set('mode', (e.target as HTMLSelectElement).value as AddRegionInput['mode'])}>
              <option value="STANDALONE">Standalone (master + replicas)</option>
              <option value="CLUSTER">Redis Cluster</option>
              <option value="ELASTICACHE">AWS ElastiCache</option>
            </select>
          ))}
          {input.mode === 'ELASTICACHE' ? (
            <>
              {field('replicationGroupId', 'Replication group id', text('replicationGroupId'))}
              {field('awsRegion', 'AWS region', text('awsRegion', { placeholder: 'eu-west-1' }))}
            </>
          ) : field('seeds', 'Seeds', (
            <textarea id="f-seeds" name="seeds" rows={2} value={input.seeds} disabled={!allowed}
                      aria-invalid={errors.seeds ? 'true' : undefined} aria-describedby={errors.seeds ? 'e-seeds' : 'h-seeds'}
                      placeholder="10.0.0.5:6379, 10.0.0.6:6379"
                      onInput={(e) => set('seeds', (e.target as HTMLTextAreaElement).value)} />
          ), 'host:port of one or more nodes; the rest is discovered')}
          {field('username', 'ACL user', text('username', { autocomplete: 'off' }))}
          {field('password', 'Password', text('password', { type: 'password', autocomplete: 'new-password' }), 'stored encrypted, never shown again')}
          <div class="field check">
            <label><input type="checkbox" checked={input.tls} disabled={!allowed}
                          onChange={(e) => set('tls', (e.target as HTMLInputElement).checked)} /> Connect with TLS</label>
          </div>
          {field('mesh', 'Mesh', text('mesh', { placeholder: 'orders' }), 'links are made to and from every other member')}
        </fieldset>
        {errors.form && <p class="field-error" id="form-error" role="alert">{errors.form}</p>}
        <button type="submit" disabled={!allowed || busy}>{busy ? 'Adding…' : 'Add region'}</button>
      </form>
    </>
  );
}

/** Polls the new cluster until every link touching it streams. */
function Follow({ cluster, onAnother }: { cluster: string; onAnother: () => void }) {
  const [state, setState] = useState<Cluster | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const c = await api.cluster(cluster);
        if (!stop) { setState(c); setError(null); }
        if (!stop && !c.status.ready) setTimeout(tick, 1000);
      } catch (e) {
        if (!stop) { setError(String(e)); setTimeout(tick, 2000); }
      }
    };
    void tick();
    return () => { stop = true; };
  }, [cluster]);
  return (
    <section class="panel follow" aria-live="polite" data-testid="follow">
      <h1>{cluster}</h1>
      {state == null ? <p class="state loading">Waiting for {cluster}…</p> : state.status.ready ? (
        <p class="done" data-ready="true"><span class="badge ok">ready</span> {state.status.message}: writes flow to and from it.</p>
      ) : (
        <p data-ready="false"><span class="badge pending">not ready</span> {state.status.message}</p>
      )}
      {error && <p class="error">{error}</p>}
      {state && state.shards.length === 0 && <Empty>Discovering the topology from {state.seeds.join(', ')}…</Empty>}
      <p><a href="#/">Back to the overview</a> · <a href="#/clusters">Clusters</a> ·
        <button type="button" class="link" onClick={onAnother}>Add another region</button></p>
    </section>
  );
}
