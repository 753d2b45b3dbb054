import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './grpc-client.js';

/** A throwaway single-node Slurm cluster (scripts/slurm/start-test-cluster.sh), for one spec file. */
export interface TestCluster {
  /** The slurm.conf every Slurm command of the test and the studio must use. */
  slurmConf: string;
  dir: string;
  /** Runs a Slurm client command against this cluster; resolves with its stdout. */
  run(command: string, args: string[]): Promise<string>;
  stop(): void;
}

const SCRIPTS = path.join(REPO_ROOT, 'scripts/slurm');

/** Whether this process can start the test cluster (slurmd and munged need root). */
export const canStartCluster = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function startTestCluster(): TestCluster {
  const out = execFileSync(path.join(SCRIPTS, 'start-test-cluster.sh'), [], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const slurmConf = vars.SLURM_CONF;
  const dir = vars.FTS_SLURM_TEST_DIR;
  if (!slurmConf || !dir) throw new Error(`start-test-cluster.sh printed no SLURM_CONF:\n${out}`);
  let stopped = false;
  // A test run that ends without afterAll (a crash, a timeout) still stops the daemons.
  const onExit = () => cluster.stop();
  process.once('exit', onExit);
  const cluster: TestCluster = {
    slurmConf,
    dir,
    run: (command, args) =>
      new Promise((resolve, reject) =>
        execFile(command, args, { env: { ...process.env, SLURM_CONF: slurmConf }, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
        ),
      ),
    stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      execFileSync(path.join(SCRIPTS, 'stop-test-cluster.sh'), process.env.FTS_KEEP_TMP === '1' ? [dir, '--keep'] : [dir], { stdio: 'inherit', timeout: 60_000 });
    },
  };
  return cluster;
}
