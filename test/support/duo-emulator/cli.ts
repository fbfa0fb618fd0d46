/**
 * `npm run -s emulator -- --port <p> [--bind-host <addr>]`: starts the Duo emulator, prints one
 * JSON line describing it, and runs until SIGINT/SIGTERM. Used by the end-to-end tests and by
 * people trying Walkup without a Duo account.
 */
import { parseArgs } from 'node:util';
import { parsePortOption } from '../../../main/cli/args.js';
import { startDuoEmulator } from './index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'bind-host': { type: 'string', default: '127.0.0.1' } },
});
// The same reading as `walkup serve --port` and the demo's ports: digits only, so "", "0x10" or
// "1e3" are refused rather than read as 0, 16 or 1000.
const port = parsePortOption(values.port);
if (port === undefined) {
  console.error(`duo-emulator: --port must be an integer 0-65535 (0: any free port), got "${values.port}"`);
  process.exit(2);
}

const emulator = await startDuoEmulator({ port, bindHost: values['bind-host'] }).catch((error: unknown) => {
  const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
  console.error(`duo-emulator: cannot listen on ${values['bind-host']}:${port}${code}`);
  process.exit(1);
});
console.log(
  JSON.stringify({
    baseUrl: emulator.baseUrl,
    apiHost: emulator.apiHost,
    caFile: emulator.caFile,
    integrations: emulator.integrations,
  }),
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('duo-emulator: close failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
