// The "add region" form: what is checked before sending (the same rules the server enforces, so a
// user sees them at once), and how the server's problem details land on the fields.

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

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SEED = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

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

function nameProblem(value: string): string | undefined {
  if (value.trim() === '') return 'is required';
  if (!NAME.test(value)) return 'lower-case letters, digits and "-", starting with a letter or digit, at most 63';
  return undefined;
}

export function validate(input: AddRegionInput): FieldErrors {
  const errors: FieldErrors = {};
  const region = nameProblem(input.region);
  if (region) errors.region = region;
  const cluster = nameProblem(input.cluster);
  if (cluster) errors.cluster = cluster;
  if (input.mesh.trim() !== '' && !NAME.test(input.mesh)) {
    errors.mesh = 'lower-case letters, digits and "-", at most 63';
  }
  if (input.displayName.length > 200) errors.displayName = 'at most 200 characters';
  if (input.mode === 'ELASTICACHE') {
    if (input.replicationGroupId.trim() === '') errors.replicationGroupId = 'is required for ElastiCache';
    if (input.awsRegion.trim() === '') errors.awsRegion = 'is required for ElastiCache';
  } else {
    const seeds = parseSeeds(input.seeds);
    if (seeds.length === 0) {
      errors.seeds = 'at least one host:port';
    } else {
      const bad = seeds.find((s) => {
        const m = SEED.exec(s);
        return !m || Number(m[2]) < 1 || Number(m[2]) > 65535;
      });
      if (bad) errors.seeds = `"${bad}" is not host:port`;
    }
  }
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
export function fieldErrorsFrom(problem: Problem, step: 'region' | 'cluster'): FieldErrors {
  const errors: FieldErrors = {};
  const fields: Record<string, keyof AddRegionInput> = step === 'region'
    ? { name: 'region', displayName: 'displayName', cloud: 'cloud' }
    : {
        name: 'cluster', region: 'region', mode: 'mode', seeds: 'seeds', username: 'username', password: 'password',
        tls: 'tls', mesh: 'mesh', 'elasticache.replicationGroupId': 'replicationGroupId',
        'elasticache.awsRegion': 'awsRegion',
      };
  for (const e of problem.errors ?? []) {
    const field = fields[e.field] ?? fields[e.field.replace(/\[\d+]$/, '')];
    if (field) {
      errors[field] = errors[field] ? `${errors[field]}; ${e.message}` : e.message;
    } else {
      errors.form = `${e.field}: ${e.message}`;
    }
  }
  if (!problem.errors?.length) {
    errors.form = problem.detail ?? problem.title ?? 'the request was refused';
  }
  return errors;
}
