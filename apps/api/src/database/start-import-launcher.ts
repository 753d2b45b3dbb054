/**
 * Imported by main.ts for its side effect, right after the state folder is
 * claimed and before Nest and the application evaluate: the import launcher
 * (import-launcher.ts) is forked while this process is still small.
 */
import { importLauncher } from './import-launcher.js';

importLauncher().start();
