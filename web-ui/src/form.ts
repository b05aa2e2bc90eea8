// The "add region" form: the request bodies it sends and how the server's problem details land on
// its fields. The rules themselves are the server's alone (one copy, in ClusterRequestValidator and
// ResourceNames): the form only refuses to send an empty name, which could not even form the URL.

export interface AddRegionInput {
  region: string;
  displayName: string;
  cloud: string;
  cluster: string;
  mode: 'STANDALONE' | 'CLUSTER' | 'ELASTICACHE';
  seeds: string;
  username: string;
  password: string;
  tls: boolean;
  mesh: string;
  replicationGroupId: string;
  awsRegion: string;
}

export type FieldErrors = Partial<Record<keyof AddRegionInput | 'form', string>>;

export function emptyInput(): AddRegionInput {
  return {
    region: '', displayName: '', cloud: '', cluster: '', mode: 'STANDALONE', seeds: '', username: '', password: '',
    tls: false, mesh: '', replicationGroupId: '', awsRegion: '',
  };
}

/** Seeds as typed: separated by commas, spaces or new lines. */
export function parseSeeds(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The names that go into the URLs; everything else is checked by the server. */
export function missingNames(input: AddRegionInput): FieldErrors {
  const errors: FieldErrors = {};
  if (input.region.trim() === '') errors.region = 'is required';
  if (input.cluster.trim() === '') errors.cluster = 'is required';
  return errors;
}

export function regionBody(input: AddRegionInput): object {
  return {
    displayName: input.displayName.trim() || null,
    cloud: input.cloud.trim() || null,
  };
}

export function clusterBody(input: AddRegionInput): object {
  const body: Record<string, unknown> = {
    region: input.region,
    mode: input.mode,
    tls: input.tls,
    mesh: input.mesh.trim() || null,
  };
  if (input.mode === 'ELASTICACHE') {
    body.elasticache = { replicationGroupId: input.replicationGroupId.trim(), awsRegion: input.awsRegion.trim() };
  } else {
    body.seeds = parseSeeds(input.seeds);
  }
  if (input.username.trim() !== '') body.username = input.username.trim();
  if (input.password !== '') body.password = input.password;
  return body;
}

export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/**
 * Places a problem document's field errors on the form. {@code step} says which call it answered:
 * the region's fields and the cluster's share names (a cluster's "region" is the region's name).
 */
export function fieldErrorsFrom(problem: Problem, step: 'region' | 'cluster', sent?: AddRegionInput): FieldErrors {
  const errors: FieldErrors = {};
  const fields: Record<string, keyof AddRegionInput> = step === 'region'
    ? { name: 'region', displayName: 'displayName', cloud: 'cloud' }
    : {
        name: 'cluster', region: 'region', mode: 'mode', seeds: 'seeds', username: 'username', password: 'password',
        tls: 'tls', mesh: 'mesh', 'elasticache.replicationGroupId': 'replicationGroupId',
        'elasticache.awsRegion': 'awsRegion',
      };
  const seeds = sent ? parseSeeds(sent.seeds) : [];
  for (const e of problem.errors ?? []) {
    const field = fields[e.field] ?? fields[e.field.replace(/\[\d+]$/, '')];
    // "seeds[2]: must be host:port" says which one by its index; the user typed a value, so show that
    const index = /^seeds\[(\d+)]$/.exec(e.field);
    const message = index && seeds[Number(index[1])] !== undefined ? `"${seeds[Number(index[1])]}" ${e.message}` : e.message;
    if (field) {
      errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
    } else {
      errors.form = `${e.field}: ${e.message}`;
    }
  }
  if (!problem.errors?.length) {
    errors.form = problem.detail ?? problem.title ?? 'the request was refused';
  }
  return errors;
}
