/**
 * `walkup <command>` (from a checkout: `npm run -s walkup -- <command>`). The commands live in
 * `main/cli/`, one file each; this entry point only runs the dispatcher against the real process.
 */
import { processIo } from './cli/io';
import { runCli } from './cli/run-cli';

process.exitCode = await runCli(process.argv.slice(2), processIo());
