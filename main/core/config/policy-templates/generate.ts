/**
 * Every fleet policy template, generated from the one configuration schema, as the files under
 * `assets/policy/` (`npm run policy-templates` writes them; a unit test regenerates them in memory
 * and fails when the committed files differ).
 */
import { admlTemplate, admxTemplate } from './admx';
import { examplePolicyJson, examplePolicyJsonc } from './example-policy';
import { jamfManifestJson } from './jamf-manifest';
import { mobileconfigXml } from './mobileconfig';
import { WALKUP_BUNDLE_ID } from '../policy-sources/macos-managed-preferences';

/** The folder, relative to the repository root, that holds the generated templates. */
export const POLICY_TEMPLATE_FOLDER = 'assets/policy';

export interface PolicyTemplateFile {
  /** Relative to `POLICY_TEMPLATE_FOLDER`, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

/** The templates, in a fixed order. */
export function policyTemplateFiles(): PolicyTemplateFile[] {
  return [
    { path: 'walkup.admx', content: admxTemplate() },
    { path: 'en-US/walkup.adml', content: admlTemplate() },
    { path: `${WALKUP_BUNDLE_ID}.jamf.json`, content: jamfManifestJson() },
    { path: `${WALKUP_BUNDLE_ID}.mobileconfig`, content: mobileconfigXml() },
    { path: 'policy.example.jsonc', content: examplePolicyJsonc() },
    { path: 'policy.example.json', content: examplePolicyJson() },
  ];
}
