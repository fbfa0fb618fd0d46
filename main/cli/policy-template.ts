/**
 * `walkup policy-template`: prints a complete, commented example policy (JSON with `//`
 * comments): every key of the one schema with what it does and its default, generated from the
 * schema (`examplePolicyJsonc`, the same text as `assets/policy/policy.example.jsonc`). Strip the
 * comments (or use `assets/policy/policy.example.json`) before deploying it as `policy.json`.
 */
import { examplePolicyJsonc } from '../core/config/policy-templates/example-policy';
import { parseCommandOptions } from './args';
import { exitCodes, type CliIo } from './io';

/** Runs the command; it takes no options. */
export async function runPolicyTemplate(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {});
  if (!options.ok) {
    io.err(`walkup policy-template: ${options.error}`);
    return exitCodes.usage;
  }
  io.out(examplePolicyJsonc().replace(/\n$/, ''));
  return exitCodes.ok;
}
