/**
 * The station's branding as the renderer gets it (`StationInfo.branding`), built once when the
 * station is assembled from the `branding` section.
 *
 * A logo file that cannot be used (missing, too big, another type) does not take the station out
 * of service: the logo is decoration, and refusing every enrollment over it would punish the
 * people at the station for an admin's typo. The renderer shows the default logo instead, and the
 * station carries the warning `branding-logo-unusable` (admin screen, `walkup status`) with the
 * problem in the log, naming the key.
 */
import type { StationBranding } from '../../contract';
import type { BrandingConfig } from '../config/schema';
import type { Logger } from '../ports';
import { loadLogo, type LogoIo } from './logo';

/** The branding of a station, and the problem with its logo file when there is one. */
export interface ResolvedBranding {
  branding: StationBranding;
  /** `branding.logoFile: …`, one line naming the key; undefined when the logo is fine or unset. */
  logoProblem?: string;
}

/** What a station shows with its logo unread: everything but the logo (fallbacks, tests). */
export function brandingWithoutLogo(config: BrandingConfig): StationBranding {
  const branding: StationBranding = { organisation: config.organisation, accentColor: config.accentColor };
  if (config.welcomeText !== undefined) branding.welcomeText = config.welcomeText;
  if (config.helpdesk !== undefined) branding.helpdesk = config.helpdesk;
  return branding;
}

/**
 * Builds the branding, reading `logoFile` when set (`loadLogo`). A logo problem is logged as
 * `branding-logo-unusable` and returned; the branding then has no logo (the renderer's default).
 * Never throws.
 */
export async function resolveBranding(
  config: BrandingConfig,
  deps: { logger: Logger; io?: LogoIo },
): Promise<ResolvedBranding> {
  const branding = brandingWithoutLogo(config);
  if (config.logoFile === undefined) return { branding };
  const logo = await loadLogo(config.logoFile, deps.io);
  if (logo.ok) return { branding: { ...branding, logo: { dataUrl: logo.dataUrl } } };
  const logoProblem = `branding.logoFile: ${logo.problem}; showing the default logo`;
  deps.logger.warn('branding-logo-unusable', { problem: logoProblem });
  return { branding, logoProblem };
}
