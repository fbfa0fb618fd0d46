import { useEffect } from 'react';
import type { StationBranding } from '../../main/contract';
import defaultLogoUrl from '../../assets/branding/logo.svg';
import './station-header.css';

/** Props of {@link StationHeader}. */
export interface StationHeaderProps {
  /** The station's name from its configuration (`station.name`). */
  name: string;
  /** The organisation's name and logo (`StationInfo.branding`). */
  branding: StationBranding;
}

/**
 * The calm top band shown on every screen except Duo (which has the Walkup bar instead): the
 * organisation's logo and name, and the station's name when it says something more. The logo is
 * the configured one (a `data:` URL main checked, `core/branding/logo.ts`) or the default from
 * assets/branding; it is decoration next to the name, so its text alternative is empty.
 */
export function StationHeader({ name, branding }: StationHeaderProps) {
  return (
    <header className="station-header">
      <img className="station-logo" src={branding.logo?.dataUrl ?? defaultLogoUrl} alt="" />
      <p className="station-brand">
        <span className="station-organisation">{branding.organisation}</span>
        {name !== branding.organisation ? <span className="station-name">{name}</span> : null}
      </p>
    </header>
  );
}

/**
 * Makes the station's accent colour (`branding.accentColor`, contrast checked by main: WCAG 2.1
 * AA with white text and the page) the `--accent` of every screen, the Duo screen included, and
 * a darker mix of it `--accent-dark` (hover, pressed). Set through the CSSOM, which the CSP's
 * `style-src 'self'` allows (it refuses style attributes and elements, not `style.setProperty`).
 * Undefined (no station yet): the stylesheet's own accent.
 */
export function useAccentColor(accentColor: string | undefined): void {
  useEffect(() => {
    if (!accentColor) return;
    const root = document.documentElement.style;
    root.setProperty('--accent', accentColor);
    // Darker than a colour with 4.5:1 against white only adds contrast.
    root.setProperty('--accent-dark', `color-mix(in srgb, ${accentColor} 70%, #000)`);
    return () => {
      root.removeProperty('--accent');
      root.removeProperty('--accent-dark');
    };
  }, [accentColor]);
}
