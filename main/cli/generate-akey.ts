/**
 * `walkup generate-akey`: prints a new Duo Web SDK v2 application key (`duo.akey`) once, on
 * standard output: 43 characters of base64url from 32 random bytes (256 bits) of Node's CSPRNG.
 * Duo's Web SDK v2 documentation asks for a random string of at least 40 characters that the
 * application keeps secret (`AKEY_LEN`); Duo never sees it. Nothing is written anywhere else:
 * store it with `walkup import-secrets` or in a 0600 file.
 */
import { generateAkey } from '../core/duo/web-v2/akey';
import { parseCommandOptions } from './args';
import { exitCodes, type CliIo } from './io';

/** The generator lives in core (`core/duo/web-v2/akey.ts`), shared with the admin screen. */
export { generateAkey };

/** Runs the command; it takes no options. */
export async function runGenerateAkey(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {});
  if (!options.ok) {
    io.err(`walkup generate-akey: ${options.error}`);
    return exitCodes.usage;
  }
  io.out(generateAkey());
  return exitCodes.ok;
}
