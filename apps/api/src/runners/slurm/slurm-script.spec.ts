import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRequest } from '../job-runner.js';
import { slurmBatchJob } from './slurm-script.js';

const request = (over: Partial<RunRequest['resources']> = {}): RunRequest => ({
  jobId: 'job-1',
  kind: 'fine_tune',
  spec: {},
  command: ['/usr/bin/python3', '/srv/templates/fine_tune.py'],
  resources: { cpu: 8, memoryGb: 64, gpus: 4, numWorkers: 1, ...over },
});
const paths = (dir: string) => ({
  runDir: dir,
  scriptPath: `${dir}/job.sbatch`,
  stdoutPath: `${dir}/stdout.log`,
  cwd: '/srv/project',
  argv: ['/usr/bin/python3', '/srv/templates/fine_tune.py', '--spec', `${dir}/spec.json`, '--events', `${dir}/events.jsonl`],
});

describe('slurmBatchJob', () => {
  it('puts the resources, placement and time limit on the sbatch command line, then the script and its arguments', () => {
    const job = slurmBatchJob(request({ timeLimit: '2:00:00' }), paths('/runs/job-1'), { partition: 'gpu', account: 'lab', qos: 'normal', timeLimit: '1:00:00' });
    expect(job.args).toEqual([
      '--parsable',
      '--job-name=fts-job-1',
      '--output=/runs/job-1/stdout.log',
      '--open-mode=append',
      '--chdir=/srv/project',
      '--nodes=1',
      '--ntasks-per-node=1',
      '--cpus-per-task=8',
      '--mem=65536M',
      '--gpus-per-node=4',
      '--partition=gpu',
      '--account=lab',
      '--qos=normal',
      '--time=2:00:00',
      '/runs/job-1/job.sbatch',
      '/runs/job-1',
      ...paths('/runs/job-1').argv,
    ]);
    expect(job.timeLimit).toBe('2:00:00');
    expect(job.script).not.toMatch(/srun|torch/);
  });

  it('leaves out what is not asked for: no GPUs, no memory, no placement', () => {
    const job = slurmBatchJob(request({ gpus: 0, memoryGb: 0, cpu: 0.5 }), paths('/r'), {});
    expect(job.args.filter((a) => /^--(gpus|mem|partition|account|qos|time)/.test(a))).toEqual([]);
    expect(job.args).toContain('--cpus-per-task=1');
  });

  it('refuses placement values Slurm would misread, naming where they came from', () => {
    expect(() => slurmBatchJob(request({ timeLimit: 'soon' }), paths('/r'), {})).toThrow(/time limit 'soon' \(the request\)/);
    expect(() => slurmBatchJob(request(), paths('/r'), { partition: 'gpu --x' })).toThrow(/partition 'gpu --x' \(settings\)/);
  });

  describe('the script, run with stand-ins for srun and scontrol', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-sbatch-'));
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      // srun records its argv one per line (then runs nothing); scontrol names two nodes.
      fs.writeFileSync(path.join(bin, 'srun'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/srun.args"\nexit 7\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'scontrol'), '#!/bin/sh\nprintf "gpu-a\\ngpu-b\\n"\n', { mode: 0o755 });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (script: string, args: string[]) => {
      fs.writeFileSync(path.join(dir, 'job.sbatch'), script, { mode: 0o755 });
      try {
        execFileSync('/bin/sh', [path.join(dir, 'job.sbatch'), ...args], {
          env: { PATH: `${dir}/bin:/usr/bin:/bin`, SLURM_JOB_NODELIST: 'gpu-[a-b]', SLURM_JOB_ID: '4242' },
          stdio: 'ignore',
        });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };

    it('multi-node: one torchrun per node through srun, rendezvous on the first node, the exit code preserved in exit.json', () => {
      const p = { ...paths(dir), argv: ['/usr/bin/python3', '/srv/t/fine_tune.py', '--spec', 's.json', '--events', 'e.jsonl'] };
      const job = slurmBatchJob(request({ numWorkers: 2, gpus: 4 }), p, {}, { rdzvPort: 29411 });
      expect(job.args).toContain('--nodes=2');
      expect(run(job.script, job.args.slice(job.args.indexOf(p.scriptPath) + 1))).toBe(7);
      expect(fs.readFileSync(path.join(dir, 'srun.args'), 'utf8').trim().split('\n')).toEqual([
        '--nodes=2',
        '--ntasks=2',
        '--ntasks-per-node=1',
        '--kill-on-bad-exit=1',
        '/usr/bin/python3',
        '-m',
        'torch.distributed.run',
        '--nnodes=2',
        '--nproc-per-node=4',
        '--rdzv-backend=c10d',
        '--rdzv-endpoint=gpu-a:29411',
        '--rdzv-id=4242',
        '/srv/t/fine_tune.py',
        '--spec',
        's.json',
        '--events',
        'e.jsonl',
      ]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'exit.json'), 'utf8'))).toMatchObject({ code: 7, signal: null, recorded_by: 'wrapper' });
    });

    it('single node: the template runs directly, arguments untouched (no shell re-parsing), exit code kept', () => {
      const p = { ...paths(dir), argv: ['/bin/sh', '-c', 'printf "%s" "$1" > "$0/arg"; exit 3', dir, 'a b; $(rm -rf /) *'] };
      const job = slurmBatchJob(request({ numWorkers: 1 }), p, {});
      expect(run(job.script, job.args.slice(job.args.indexOf(p.scriptPath) + 1))).toBe(3);
      expect(fs.readFileSync(path.join(dir, 'arg'), 'utf8')).toBe('a b; $(rm -rf /) *');
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'exit.json'), 'utf8'))).toMatchObject({ code: 3 });
      expect(fs.existsSync(path.join(dir, 'srun.args'))).toBe(false);
    });
  });
});
