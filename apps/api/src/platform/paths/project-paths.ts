import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument, notFound } from '@fts/domain';

/**
 * Resolves paths that come from requests. Every one must stay inside the
 * project root, symlinks included; anything else is INVALID_ARGUMENT.
 */
export class ProjectPaths {
  readonly root: string;

  constructor(root: string) {
    this.root = fs.realpathSync(path.resolve(root));
  }

  /**
   * The absolute path of `p` (relative to the root, or absolute inside it),
   * after following symlinks as far as the path exists. `field` names the
   * request field in the error message.
   */
  resolve(p: string, field = 'location'): string {
    if (p.includes('\0')) throw invalidArgument('PATH.INVALID', `Field '${field}' contains a NUL character.`);
    const abs = path.resolve(this.root, p);
    if (!this.inside(abs)) throw outside(p, field);
    const real = realpathOfExistingPrefix(abs);
    if (!this.inside(real)) throw outside(p, field);
    return real;
  }

  /** The path relative to the project root (what is stored and shown). */
  relative(abs: string): string {
    return path.relative(this.root, abs) || '.';
  }

  /** Resolves and requires an existing regular file. */
  file(p: string, field = 'location'): string {
    const abs = this.resolve(p, field);
    const st = statOrUndefined(abs);
    if (!st) throw notFound('PATH.NOT_FOUND', `File '${p}' does not exist in the project.`);
    if (!st.isFile()) throw invalidArgument('PATH.NOT_A_FILE', `'${p}' is not a file.`);
    return abs;
  }

  /** Resolves and requires an existing directory. */
  directory(p: string, field = 'location'): string | undefined {
    const abs = this.resolve(p, field);
    const st = statOrUndefined(abs);
    return st?.isDirectory() ? abs : undefined;
  }

  private inside(abs: string): boolean {
    return abs === this.root || abs.startsWith(this.root + path.sep);
  }
}

const outside = (p: string, field: string) =>
  invalidArgument('PATH.OUTSIDE_PROJECT', `Field '${field}' must be a path inside the project; '${p}' is outside it.`);

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** realpath of the longest existing prefix, with the rest appended (for paths not created yet). */
function realpathOfExistingPrefix(abs: string): string {
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}
