/**
 * `walkup hash-pin`: reads an admin PIN (without echo and twice from a terminal; else all of
 * standard input, one trailing newline removed) and prints its hash, `scrypt$16384$8$5$<salt>$<hash>`
 * (`core/secrets/pin-hash`), on standard output. The PIN itself is never printed. The hash is
 * for the admin screen (planned); store it with `walkup import-secrets` as the vault entry
 * `admin.pinHash`.
 */
import { hashPin, PIN_RULE, PIN_RULE_TEXT } from '../core/secrets/pin-hash';
import { parseCommandOptions } from './args';
import { readHiddenInput, type HiddenInputIo } from './hidden-input';
import { exitCodes, type CliIo } from './io';

/** Runs the command; it takes no options. Terminal prompts go to `io.err`, the hash to `io.out`. */
export async function runHashPin(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {});
  if (!options.ok) {
    io.err(`walkup hash-pin: ${options.error}`);
    return exitCodes.usage;
  }
  const stdin: HiddenInputIo['stdin'] = io.stdin;
  const input: HiddenInputIo = { stdin, err: io.err };
  const fromTerminal = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const pin = await readHiddenInput(input, 'PIN');
  if (pin === undefined) {
    io.err('walkup hash-pin: no PIN given (type it, or pipe it on standard input)');
    return exitCodes.usage;
  }
  if (!PIN_RULE.test(pin)) {
    io.err(`walkup hash-pin: ${PIN_RULE_TEXT}`);
    return exitCodes.usage;
  }
  if (fromTerminal) {
    const again = await readHiddenInput(input, 'PIN again');
    if (again !== pin) {
      io.err('walkup hash-pin: the two PINs differ');
      return exitCodes.usage;
    }
  }
  io.out(await hashPin(pin));
  return exitCodes.ok;
}
