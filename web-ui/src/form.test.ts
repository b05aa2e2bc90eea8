import { describe, expect, it } from 'vitest';
import { clusterBody, emptyInput, fieldErrorsFrom, missingNames, parseSeeds } from './form';

const valid = { ...emptyInput(), region: 'eu-west-1', cluster: 'orders-eu', seeds: '10.0.0.5:6379', mesh: 'orders' };

describe('missingNames', () => {
  it('sends a request that names its region and cluster, whatever else the server will say of it', () => {
    expect(missingNames(valid)).toEqual({});
    expect(missingNames({ ...valid, region: 'EU_West', seeds: 'nohost' })).toEqual({});
  });

  it('does not send one whose URL would lack a name', () => {
    expect(missingNames({ ...valid, region: ' ', cluster: '' })).toEqual({ region: 'is required', cluster: 'is required' });
  });
});

describe('request bodies', () => {
  it('splits seeds and leaves out an empty password (keep the stored one)', () => {
    expect(parseSeeds(' a:1,b:2 \n c:3 ')).toEqual(['a:1', 'b:2', 'c:3']);
    const body = clusterBody({ ...valid, seeds: 'a:1 b:2' }) as Record<string, unknown>;
    expect(body.seeds).toEqual(['a:1', 'b:2']);
    expect(body).not.toHaveProperty('password');
    expect(clusterBody({ ...valid, password: 's3cret' })).toHaveProperty('password', 's3cret');
  });
});

describe('fieldErrorsFrom', () => {
  it('puts the server\'s field errors on the matching inputs', () => {
    const errors = fieldErrorsFrom({ status: 400, errors: [
      { field: 'seeds[1]', message: 'must be host:port' },
      { field: 'region', message: "region 'x' does not exist" },
      { field: 'elasticache.awsRegion', message: 'unknown AWS region' },
    ] }, 'cluster');
    expect(errors).toEqual({ seeds: 'must be host:port', region: "region 'x' does not exist", awsRegion: 'unknown AWS region' });
  });

  it('names the seed the server refused by the value the user typed', () => {
    const errors = fieldErrorsFrom({ status: 400, errors: [
      { field: 'seeds[1]', message: 'must be host:port' },
      { field: 'seeds[2]', message: 'duplicate seed a:1' },
    ] }, 'cluster', { ...valid, seeds: 'a:1, nohost a:1' });
    expect(errors.seeds).toBe('"nohost" must be host:port; "a:1" duplicate seed a:1');
  });

  it('maps a region call\'s "name" to the region field, and shows a problem without fields on the form', () => {
    expect(fieldErrorsFrom({ errors: [{ field: 'name', message: 'bad' }] }, 'region')).toEqual({ region: 'bad' });
    expect(fieldErrorsFrom({ status: 403, detail: 'your role may not' }, 'cluster')).toEqual({ form: 'your role may not' });
  });
});
