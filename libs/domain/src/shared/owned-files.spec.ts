import { planFolderDeletion } from './owned-files.js';

describe('planFolderDeletion', () => {
  const others = [
    { path: 'data/adapters/kept', owner: "the adapter 'kept'" },
    { path: '.app/job_runs/j1/checkpoints/checkpoint-10', owner: "the adapter 'best'" },
    { path: 'models/tiny', owner: "the model 'tiny'" },
  ];

  it('deletes folders no other entity uses, once each', () => {
    expect(planFolderDeletion(['data/adapters/mine', './data/adapters/mine/', '.app/job_runs/j2'], others)).toEqual({
      delete: ['data/adapters/mine', '.app/job_runs/j2'],
      kept: [],
    });
  });

  it('keeps a folder another entity lives in, inside, or above, and anything outside the project', () => {
    expect(planFolderDeletion(['.app/job_runs/j1', 'data', 'models/tiny/sub', '.', '../elsewhere', '/etc'], others)).toEqual({
      delete: [],
      kept: [
        { path: '.app/job_runs/j1', reason: "the adapter 'best' uses it" },
        { path: 'data', reason: "the adapter 'kept' uses it" },
        { path: 'models/tiny/sub', reason: "the model 'tiny' uses it" },
        { path: '.', reason: 'it is not a folder inside the project' },
        { path: '../elsewhere', reason: 'it is not a folder inside the project' },
        { path: '/etc', reason: 'it is not a folder inside the project' },
      ],
    });
  });
});
