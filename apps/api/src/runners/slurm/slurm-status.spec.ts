import { parseJobRows, parseSinfo, pendingMessage, slurmRunState, type SlurmJobRow } from './slurm-status.js';

const row = (state: string, reason = '', nodes = 'gpu01'): SlurmJobRow => ({ jobId: '42', state, reason, nodes });
const state = (s: string, facts: Partial<Parameters<typeof slurmRunState>[1]> = {}) =>
  slurmRunState(row(s, s === 'PENDING' ? 'Priority' : ''), { cancelRequested: false, ...facts });

describe('slurm states on the job machine', () => {
  it('pending: queued on the cluster with the reason, explained', () => {
    expect(state('PENDING')).toEqual({
      phase: 'pending',
      message: 'Queued on the Slurm cluster as job 42: Priority (jobs with a higher priority are ahead of it).',
      cluster: { jobId: '42', state: 'PENDING', nodes: 'gpu01', reason: 'Priority' },
    });
    expect(pendingMessage('7', 'QOSMaxJobsPerUser')).toBe('Queued on the Slurm cluster as job 7: QOSMaxJobsPerUser (the QOS limits how many jobs one user runs at once).');
    expect(pendingMessage('7', 'SomethingNew')).toBe('Queued on the Slurm cluster as job 7: SomethingNew.');
    for (const s of ['CONFIGURING', 'REQUEUED', 'REQUEUE_HOLD']) expect(state(s).phase).toBe('pending');
  });

  it('running states are running; with a cancel asked for, running and cancelling until Slurm lets go', () => {
    for (const s of ['RUNNING', 'COMPLETING', 'SUSPENDED', 'SIGNALING', 'STAGE_OUT']) expect(state(s).phase).toBe('running');
    expect(state('RUNNING', { cancelRequested: true })).toMatchObject({ phase: 'running', cancelling: true });
    expect(state('PENDING', { cancelRequested: true })).toMatchObject({ phase: 'pending', cancelling: true });
  });

  it('COMPLETED succeeds; FAILED tells the exit code and error line from the run folder', () => {
    expect(state('COMPLETED', { exit: { code: 0 } })).toMatchObject({ phase: 'succeeded', exitCode: 0 });
    expect(state('FAILED', { exit: { code: 3, signal: null, errorLine: 'ValueError: NaN' } })).toMatchObject({
      phase: 'failed',
      message: 'exited with code 3: ValueError: NaN',
      exitCode: 3,
    });
    expect(slurmRunState(row('FAILED', 'JobLaunchFailure'), { cancelRequested: false })).toMatchObject({
      phase: 'failed',
      message: 'Slurm could not run the job (JobLaunchFailure).',
    });
  });

  it('CANCELLED is cancelled: by the studio, or on the cluster outside it', () => {
    expect(state('CANCELLED', { cancelRequested: true })).toMatchObject({ phase: 'cancelled', message: 'Cancelled.' });
    expect(state('CANCELLED')).toMatchObject({ phase: 'cancelled', message: 'Cancelled on the cluster, outside the studio (Slurm job 42).' });
    // A cancel that reached the template as SIGTERM ends FAILED (exit 143) in Slurm: still the cancel the user asked for.
    expect(state('FAILED', { cancelRequested: true, exit: { code: 143 } })).toMatchObject({ phase: 'cancelled' });
  });

  it('TIMEOUT, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE fail with Slurm’s reason; NODE_FAIL and PREEMPTED are retryable', () => {
    expect(state('TIMEOUT', { timeLimit: '0:01' })).toMatchObject({ phase: 'failed', message: 'Slurm stopped the job at its time limit (0:01) (TIMEOUT).' });
    expect(state('OUT_OF_MEMORY').message).toMatch(/OUT_OF_MEMORY.*ask for more memory/);
    expect(state('BOOT_FAIL').message).toMatch(/failed to boot/);
    expect(state('DEADLINE').message).toMatch(/deadline passed/);
    for (const s of ['TIMEOUT', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE']) expect(state(s).retryable).toBeUndefined();
    for (const s of ['NODE_FAIL', 'PREEMPTED']) {
      expect(state(s)).toMatchObject({ phase: 'failed', retryable: true, message: expect.stringMatching(new RegExp(`\\(${s}\\)\\. Retryable`)) });
    }
    // The template's exit 0 is a real result, even when a cancel raced with the end.
    expect(state('CANCELLED', { exit: { code: 0 } }).phase).toBe('succeeded');
  });

  it('an unknown state is a transient unknown, never a guess', () => {
    expect(state('SOMETHING_NEW')).toMatchObject({ phase: 'unknown', transient: true });
  });
});

describe('parsing Slurm’s machine formats', () => {
  it('squeue -o "%i|%T|%r|%N" and sacct -P rows', () => {
    const rows = parseJobRows('12|PENDING|Resources|\n13|RUNNING|None|gpu[01-02]\n14|CANCELLED by 0|None|None assigned\n\n');
    expect([...rows.values()]).toEqual([
      { jobId: '12', state: 'PENDING', reason: 'Resources', nodes: '' },
      { jobId: '13', state: 'RUNNING', reason: '', nodes: 'gpu[01-02]' },
      { jobId: '14', state: 'CANCELLED', reason: '', nodes: '' },
    ]);
  });

  it('sinfo partitions with node and CPU counts', () => {
    expect(parseSinfo('debug*|up|1/3/0/4|8/24/0/32|infinite|gpu:a100:4\nlong|down|0/0/2/2|0/0/16/16|7-00:00:00|(null)\n')).toEqual([
      { name: 'debug', default: true, available: 'up', nodes: { allocated: 1, idle: 3, other: 0, total: 4 }, cpus: { allocated: 8, idle: 24, other: 0, total: 32 }, timeLimit: 'infinite', gres: 'gpu:a100:4' },
      { name: 'long', default: false, available: 'down', nodes: { allocated: 0, idle: 0, other: 2, total: 2 }, cpus: { allocated: 0, idle: 0, other: 16, total: 16 }, timeLimit: '7-00:00:00', gres: '' },
    ]);
  });
});
