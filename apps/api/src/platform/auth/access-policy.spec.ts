import { describe, expect, it } from '@jest/globals';
import { allows, decideAccess, exposureWarning, isLoopbackHost, requiredRoleForGrpc, requiredRoleForHttp } from './access-policy.js';

describe('roles', () => {
  it('rank viewer < editor < admin', () => {
    expect(allows('admin', 'editor')).toBe(true);
    expect(allows('editor', 'editor')).toBe(true);
    expect(allows('viewer', 'editor')).toBe(false);
    expect(allows('editor', 'admin')).toBe(false);
  });

  it('gRPC: reads need viewer, ImportDatabase admin, every other method editor', () => {
    for (const m of ['ListDatasets', 'GetDataset', 'GetDatasetSplitByAdapter', 'WatchEvents', 'WatchJob', 'GetJobLogs', 'ExportDatabase', 'ListEvents']) {
      expect([m, requiredRoleForGrpc(m)]).toEqual([m, 'viewer']);
    }
    for (const m of ['AddDataset', 'RemoveModel', 'StartFineTuningJob', 'CancelEvaluationJob', 'ExportModel', 'StartAdapterComparison', 'Getaway']) {
      expect([m, requiredRoleForGrpc(m)]).toEqual([m, 'editor']);
    }
    expect(requiredRoleForGrpc('ImportDatabase')).toBe('admin');
  });

  it('HTTP: safe methods read; import, replay and settings writes are admin; other writes editor', () => {
    expect(requiredRoleForHttp('GET', '/api/settings')).toBe('viewer');
    expect(requiredRoleForHttp('HEAD', '/api/datasets')).toBe('viewer');
    expect(requiredRoleForHttp('POST', '/api/datasets')).toBe('editor');
    expect(requiredRoleForHttp('DELETE', '/api/fine-tuning-jobs/x')).toBe('editor');
    expect(requiredRoleForHttp('POST', '/api/database/import')).toBe('admin');
    expect(requiredRoleForHttp('PUT', '/api/settings')).toBe('admin');
    expect(requiredRoleForHttp('POST', '/api/replay')).toBe('admin');
    expect(requiredRoleForHttp('POST', '/api/settingsx')).toBe('editor');
  });
});

describe('decideAccess', () => {
  const bob = { name: 'bob', role: 'viewer' as const };
  it('no token, an unknown token, a role too low, and a match', () => {
    expect(decideAccess(undefined, undefined, 'x', 'viewer')).toMatchObject({ ok: false, reason: 'missing' });
    expect(decideAccess('t', undefined, 'x', 'viewer')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(decideAccess('t', bob, 'AddDataset', 'editor')).toEqual({
      ok: false,
      reason: 'forbidden',
      message: 'Permission denied: bob has the viewer role, which can only read; AddDataset needs the editor role.',
    });
    expect(decideAccess('t', bob, 'ListDatasets', 'viewer')).toEqual({ ok: true, principal: bob });
  });
});

describe('exposure warning', () => {
  it('loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });

  it('warns only for a non-loopback binding without a token, naming it', () => {
    const binds = [
      { name: 'gRPC', host: '127.0.0.1' },
      { name: 'HTTP', host: '0.0.0.0' },
    ];
    expect(exposureWarning(binds, false)).toMatch(/^HTTP on 0\.0\.0\.0 without a token: .*FTS_AUTH_TOKEN/);
    expect(exposureWarning(binds, true)).toBeUndefined();
    expect(exposureWarning([{ name: 'HTTP', host: 'localhost' }], false)).toBeUndefined();
  });
});
