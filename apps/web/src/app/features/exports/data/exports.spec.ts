import { exportProblems, upsertExport } from './exports';

describe('exports', () => {
  const base = { type: 'project' as const, base_model_id: 'm', adapter_id: 'a', model_name: 'merged', artifact_location: 'data/models/x' };
  it('accepts a complete project export', () => expect(exportProblems(base)).toEqual([]));
  it('needs a folder for a project export and names for the others', () => {
    expect(exportProblems({ ...base, artifact_location: ' ' })).toHaveLength(1);
    expect(exportProblems({ ...base, type: 'cml_model', artifact_location: '', model_name: 'bad/name' })).toHaveLength(1);
    expect(exportProblems({ ...base, adapter_id: '', model_name: '' })).toHaveLength(2);
  });
  it('upserts one row, keeping the others', () => {
    const list = [{ id: '1', type: 'project', status: 'queued' }, { id: '2', type: 'project', status: 'queued' }];
    const next = upsertExport(list, { id: '2', type: 'project', status: 'succeeded' });
    expect(next[0]).toBe(list[0]);
    expect(next[1].status).toBe('succeeded');
    expect(upsertExport(list, { id: '3', type: 'cml_model', status: 'queued' })).toHaveLength(3);
  });
});
