/**
 * `npm run policy-templates`: writes the fleet policy templates (ADMX/ADML, Jamf Pro manifest,
 * sample .mobileconfig, example policy) generated from the configuration schema to
 * assets/policy/. `--check` writes nothing and exits 1 when a committed file differs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { POLICY_TEMPLATE_FOLDER, policyTemplateFiles } from '../main/core/config/policy-templates/generate';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of policyTemplateFiles()) {
  const target = path.join(root, POLICY_TEMPLATE_FOLDER, file.path);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === file.content) continue;
  if (check) {
    console.error(`${POLICY_TEMPLATE_FOLDER}/${file.path} is out of date: run npm run policy-templates`);
    stale += 1;
    continue;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.content);
  console.log(`wrote ${POLICY_TEMPLATE_FOLDER}/${file.path}`);
}
process.exitCode = stale > 0 ? 1 : 0;
