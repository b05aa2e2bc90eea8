import { describe, expect, it } from 'vitest';
import { clusterBody, emptyInput, fieldErrorsFrom, parseSeeds, validate } from './form';

const valid = { ...emptyInput(), region: 'eu-west-1', cluster: 'orders-eu', seeds: '10.0.0.5:6379', mesh: 'orders' };

describe('validate', () => {
  it('accepts a complete standalone request', () => {
    expect(validate(valid)).toEqual({});
  });

  it('names every field that is wrong at once', () => {
    const errors = validate({ ...valid, region: 'EU_West', cluster: '', seeds: 'nohost', mesh: 'Bad Mesh' });
    expect(Object.keys(errors).sort()).toEqual(['cluster', 'mesh', 'region', 'seeds']);
    expect(errors.cluster).toBe('is required');
    expect(errors.seeds).toContain('"nohost"');
  });

  it('checks ports and accepts several seeds and IPv6 literals', () => {
    expect(validate({ ...valid, seeds: '10.0.0.5:70000' }).seeds).toBeDefined();
    expect(validate({ ...valid, seeds: 'a:1, b:2\n[::1]:6379' })).toEqual({});
  });

  it('asks ElastiCache for its group and AWS region instead of seeds', () => {
    const errors = validate({ ...valid, mode: 'ELASTICACHE', seeds: '' });
    expect(errors).toEqual({ replicationGroupId: 'is required for ElastiCache', awsRegion: 'is required for ElastiCache' });
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

  it('maps a region call\'s "name" to the region field, and shows a problem without fields on the form', () => {
    expect(fieldErrorsFrom({ errors: [{ field: 'name', message: 'bad' }] }, 'region')).toEqual({ region: 'bad' });
    expect(fieldErrorsFrom({ status: 403, detail: 'your role may not' }, 'cluster')).toEqual({ form: 'your role may not' });
  });
});
