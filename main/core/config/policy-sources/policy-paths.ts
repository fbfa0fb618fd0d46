/**
 * Where each platform keeps Walkup's managed policy file. Pure: the kiosk's configuration policy
 * (`main/electron/config-policy.ts`) and the CLI name the path without reading anything.
 */
import path from 'node:path';

/**
 * The platform's managed policy file: Windows `%ProgramData%\Walkup\policy.json`, macOS
 * `/Library/Application Support/Walkup/policy.json`, Linux (and others) `/etc/walkup/policy.json`.
 */
export function managedPolicyPath(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return path.win32.join(programData, 'Walkup', 'policy.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/Walkup/policy.json';
  return '/etc/walkup/policy.json';
}
