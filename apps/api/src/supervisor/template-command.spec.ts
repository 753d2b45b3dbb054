import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserScriptRefused, templateCommand, userScriptCommand, type TemplateSettings } from './template-command.js';

const settings: TemplateSettings = { templatesDir: '/opt/fts/job-templates', overrideOptions: {}, python: '/venv/bin/python' };

describe('the command a fine-tuning job runs', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-user-script-')));
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.writeFileSync(path.join(root, 'scripts/train.py'), 'print("hi")\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is the template by default', () => {
    expect(templateCommand(settings, 'fine_tune')).toEqual(['/venv/bin/python', '/opt/fts/job-templates/fine_tune.py']);
  });

  it("is the user's script, with the template's interpreter, when the job names one", () => {
    expect(userScriptCommand(settings, root, 'scripts/train.py')).toEqual(['/venv/bin/python', path.join(root, 'scripts/train.py')]);
  });

  it('refuses a script that is gone, a folder, or a symlink out of the project', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'evil.py'), '');
      fs.symlinkSync(path.join(outside, 'evil.py'), path.join(root, 'scripts/link.py'));
      expect(() => userScriptCommand(settings, root, 'scripts/gone.py')).toThrow(new UserScriptRefused("The user script 'scripts/gone.py' no longer exists in the project."));
      expect(() => userScriptCommand(settings, root, 'scripts')).toThrow("The user script 'scripts' is not a file.");
      expect(() => userScriptCommand(settings, root, 'scripts/link.py')).toThrow("The user script 'scripts/link.py' resolves outside the project.");
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
