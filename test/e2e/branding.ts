/**
 * The `branding` section of the end-to-end stack's branded station (`E2E_PORTS.brandedPortal`,
 * issue #12), shared by test/e2e/stack.ts and branding.spec.ts. The logo is the default logo
 * file, configured as a logo, so it reaches the page as a `data:` URL.
 */
import path from 'node:path';

export const E2E_BRANDING = {
  organisation: 'Example University',
  logoFile: path.resolve(import.meta.dirname, '../../assets/branding/logo.svg'),
  /** 9.4:1 with white text: passes WCAG 2.1 AA. */
  accentColor: '#5c2d91',
  helpdesk: 'IT helpdesk, room 1.04, extension 4357',
  /** Shown on the welcome screen instead of the built-in text. */
  welcomeText: 'New phone or lost your security key? Set up the one you have now.',
} as const;
