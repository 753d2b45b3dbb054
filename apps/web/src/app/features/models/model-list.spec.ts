import { filesReportText } from './model-list';

describe('filesReportText', () => {
  it('says what was deleted and what was kept, with the reason', () => {
    expect(filesReportText('a1', { deleted_files: ['data/adapters/a1'], kept_files: ['.app/job_runs/j: the job uses it'] })).toBe(
      'Adapter "a1" deleted. Deleted: data/adapters/a1. Kept: .app/job_runs/j: the job uses it.',
    );
  });
  it('says so when no folder was deleted', () => {
    expect(filesReportText('a1', {})).toBe('Adapter "a1" deleted. No folder was deleted.');
  });
});
