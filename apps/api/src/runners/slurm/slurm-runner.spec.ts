/**
 * The SlurmRunner's decisions where the test cluster cannot take it: a
 * cluster with accounting (sacct), a controller that forgot a job, a crash
 * between sbatch and slurm.json. The Slurm commands are a recording stand-in
 * here; apps/api/test/slurm.spec.ts runs the runner against real Slurm.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../run-folder.js';
import { progressOnly, tempStateDir } from '../../../test/support/runner-test-kit.js';
import { SlurmCli, SlurmCommandError } from './slurm-cli.js';
import { SlurmRunner } from './slurm-runner.js';

type Answer = string | SlurmCommandError;
class FakeSlurm extends SlurmCli {
  calls: string[][] = [];
  answers: Record<string, Answer | ((args: string[]) => Answer)> = {};
  override async run(command: string, args: string[]): Promise<string> {
    this.calls.push([command, ...args]);
    const a = this.answers[command];
    const v = typeof a === 'function' ? a(args) : a;
    if (v instanceof SlurmCommandError) throw v;
    return v ?? '';
  }
}

describe('SlurmRunner', () => {
  let stateDir: string;
  let cli: FakeSlurm;
  let runner: SlurmRunner;
  beforeEach(() => {
    stateDir = tempStateDir('fts-slurm-');
    cli = new FakeSlurm();
    runner = new SlurmRunner({ stateDir, cwd: stateDir, cli, placement: { partition: 'gpu' } });
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  const forgotten = new SlurmCommandError('squeue', 'squeue: slurm_load_jobs error: Invalid job id specified', false);
  const noAccounting = new SlurmCommandError('sacct', 'sacct: Slurm accounting storage is disabled', false);
  const ageSlurmRecord = (jobId: string) => {
    const file = path.join(stateDir, 'job_runs', jobId, RUN_FILES.slurm);
    const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...rec, submitted_at: new Date(Date.now() - 3_600_000).toISOString() }));
  };

  it('submits once per job id: a second submit returns the recorded handle', async () => {
    cli.answers.sbatch = '77\n';
    const h = await runner.submit(progressOnly('j1'));
    expect(h).toMatchObject({ runner: 'slurm', jobId: 'j1', slurmJobId: '77' });
    expect(await runner.submit(progressOnly('j1'))).toEqual(h);
    expect(cli.calls.filter((c) => c[0] === 'sbatch')).toHaveLength(1);
    expect(cli.calls.find((c) => c[0] === 'sbatch')).toContain('--partition=gpu');
    expect(runner.recoverHandle('j1')).toEqual(h);
  });

  it('finds a job submitted just before a crash by its name instead of submitting it twice', async () => {
    cli.answers.squeue = (args) => (args.includes('--name=fts-j2') ? '91\n' : '');
    const h = await runner.submit(progressOnly('j2'));
    expect(h.slurmJobId).toBe('91');
    expect(cli.calls.some((c) => c[0] === 'sbatch')).toBe(false);
  });

  it('turns a refusal into FAILED_PRECONDITION with Slurm’s words, and a dead controller into UNAVAILABLE', async () => {
    cli.answers.sbatch = new SlurmCommandError('sbatch', 'sbatch: error: Invalid partition name specified', false);
    await expect(runner.submit(progressOnly('j3'))).rejects.toMatchObject({ code: 'RUNNER.SLURM_REFUSED', message: expect.stringContaining('Invalid partition name') });
    cli.answers.sbatch = new SlurmCommandError('sbatch', 'sbatch: error: Unable to contact slurm controller', true);
    await expect(runner.submit(progressOnly('j4'))).rejects.toMatchObject({ code: 'RUNNER.SLURM_UNREACHABLE' });
  });

  it('asks squeue once for every watched job', async () => {
    cli.answers.sbatch = (args) => (args.some((a) => a.includes('fts-a')) ? '1' : '2');
    const a = await runner.submit(progressOnly('a'));
    const b = await runner.submit(progressOnly('b'));
    cli.answers.squeue = '1|RUNNING|None|n1\n2|PENDING|Priority|\n';
    cli.calls = [];
    const [sa, sb] = await Promise.all([runner.status(a), runner.status(b)]);
    expect(sa).toMatchObject({ phase: 'running', cluster: { jobId: '1', nodes: 'n1' } });
    expect(sb).toMatchObject({ phase: 'pending', message: expect.stringContaining('Priority') });
    expect(cli.calls).toEqual([['squeue', '-h', '--states=all', '--jobs=1,2', '-o', '%i|%T|%r|%N']]);
  });

  it('reads a job squeue has forgotten from sacct where accounting exists', async () => {
    cli.answers.sbatch = '5';
    const h = await runner.submit(progressOnly('acc'));
    cli.answers.squeue = forgotten;
    cli.answers.sacct = '5|TIMEOUT|None|n3\n';
    expect(await runner.reattach(h)).toMatchObject({ phase: 'failed', message: expect.stringContaining('time limit'), cluster: { jobId: '5' } });
  });

  it('without accounting, the run folder’s exit record tells how a forgotten job ended', async () => {
    cli.answers.sbatch = '6';
    const h = await runner.submit(progressOnly('exit'));
    cli.answers.squeue = forgotten;
    cli.answers.sacct = noAccounting;
    const exitFile = path.join(stateDir, 'job_runs', 'exit', RUN_FILES.exit);
    fs.writeFileSync(exitFile, JSON.stringify({ code: 0, signal: null, finished_at: 'x' }));
    expect(await runner.reattach(h)).toMatchObject({ phase: 'succeeded', exitCode: 0 });
    fs.writeFileSync(exitFile, JSON.stringify({ code: 2, signal: null, finished_at: 'x' }));
    expect(await runner.status(h)).toMatchObject({ phase: 'failed', message: 'exited with code 2', exitCode: 2 });
    // sacct is not asked again once it said accounting is off.
    expect(cli.calls.filter((c) => c[0] === 'sacct')).toHaveLength(1);
  });

  it('a forgotten job with no exit record: unknown while just submitted, then failed with the reason', async () => {
    cli.answers.sbatch = '8';
    const h = await runner.submit(progressOnly('lost'));
    cli.answers.squeue = forgotten;
    cli.answers.sacct = noAccounting;
    expect(await runner.status(h)).toMatchObject({ phase: 'unknown', transient: true });
    ageSlurmRecord('lost');
    expect(await runner.status(h)).toMatchObject({ phase: 'failed', message: expect.stringContaining('Slurm no longer knows job 8') });
  });

  it('a controller that does not answer is a transient unknown, never a failure', async () => {
    cli.answers.sbatch = '9';
    const h = await runner.submit(progressOnly('down'));
    cli.answers.squeue = new SlurmCommandError('squeue', 'squeue: error: Unable to contact slurm controller', true);
    expect(await runner.status(h)).toMatchObject({ phase: 'unknown', transient: true, cluster: { jobId: '9' } });
  });

  it('cancel: a pending job is scancelled at once, never signalled', async () => {
    cli.answers.sbatch = '10';
    const h = await runner.submit(progressOnly('pend'));
    let state = '10|PENDING|Resources|';
    cli.answers.squeue = () => state;
    cli.answers.scancel = () => {
      state = '10|CANCELLED|None|';
      return '';
    };
    await runner.cancel(h, 5000);
    expect(cli.calls.filter((c) => c[0] === 'scancel')).toEqual([['scancel', '10']]);
    expect(await runner.status(h)).toMatchObject({ phase: 'cancelled', message: 'Cancelled.' });
  });
});
