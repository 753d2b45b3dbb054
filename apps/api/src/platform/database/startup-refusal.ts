/**
 * A reason the server (or the CLI) must not start on this state, in one
 * sentence that names the file and what to do. Printed without a stack.
 */
export class StartupRefusal extends Error {
  override readonly name = 'StartupRefusal';
}
