/**
 * `npm run -s emulator -- --port <p> [--bind-host <addr>]`: starts the Duo emulator, prints one
 * JSON line describing it, and runs until SIGINT/SIGTERM. Used by the end-to-end tests and by
 * people trying Walkup without a Duo account.
 */
import { parseArgs } from 'node:util';
import { startDuoEmulator } from './index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'bind-host': { type: 'string', default: '127.0.0.1' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`duo-emulator: --port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}

const emulator = await startDuoEmulator({ port, bindHost: values['bind-host'] });
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
