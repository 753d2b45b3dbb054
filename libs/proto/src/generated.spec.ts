import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const protoDir = path.resolve(process.cwd(), 'libs/proto');
const hasProtoc = (() => {
  try {
    execFileSync('protoc', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('generated TypeScript types', () => {
  (hasProtoc ? it : it.skip)('match fine_tuning_studio.proto (run `npm run generate -w @fts/proto` after editing it)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-proto-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(protoDir, 'package.json'), 'utf8')) as { scripts: { generate: string } };
    const cmd = pkg.scripts.generate.replace('--ts_proto_out=src/generated', `--ts_proto_out=${out}`);
    execFileSync('sh', ['-c', cmd], { cwd: protoDir });
    const fresh = fs.readFileSync(path.join(out, 'fine_tuning_studio.ts'), 'utf8');
    const checkedIn = fs.readFileSync(path.join(protoDir, 'src/generated/fine_tuning_studio.ts'), 'utf8');
    fs.rmSync(out, { recursive: true, force: true });
    expect(checkedIn).toBe(fresh);
  });
});
