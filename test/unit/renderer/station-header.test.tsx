// @vitest-environment jsdom
/**
 * Branding in the renderer (issue #12): the header shows the organisation, the station and the
 * logo (configured or default), the accent colour becomes the page's `--accent`, and the
 * helpdesk contact shows where a person cannot go on alone (Failed, out of service).
 */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationInfo } from '../../../main/contract';
import defaultLogoUrl from '../../../assets/branding/logo.svg';
import { createFakeWalkupApi, testStation } from './support/fake-walkup-api';
import { findScreen, renderApp, WELCOME_HEADING } from './support/render-app';

afterEach(cleanup);

const PNG_LOGO = 'data:image/png;base64,iVBORw0KGgo=';

function branded(
  branding: Partial<StationInfo['branding']>,
  station: Partial<StationInfo> = {},
): StationInfo {
  return { ...testStation, ...station, branding: { ...testStation.branding, ...branding } };
}

function logo(): HTMLImageElement {
  const header = screen.getByRole('banner');
  const image = header.querySelector('img');
  if (!image) throw new Error('no logo in the header');
  return image;
}

describe('station header', () => {
  it('shows the organisation, the station name and the default logo as decoration', async () => {
    renderApp(createFakeWalkupApi());
    await findScreen(WELCOME_HEADING);
    const header = screen.getByRole('banner');
    expect(header.textContent).toContain('Walkup');
    expect(header.textContent).toContain('Helpdesk station 3');
    expect(logo().getAttribute('alt')).toBe('');
    expect(logo().getAttribute('src')).toBe(defaultLogoUrl);
    expect(defaultLogoUrl).toMatch(/^data:image\/svg\+xml,/);
  });

  it('shows the configured organisation and logo, and the name once when both are the same', async () => {
    renderApp(
      createFakeWalkupApi({
        station: branded(
          { organisation: 'Example University', logo: { dataUrl: PNG_LOGO } },
          { name: 'Example University' },
        ),
      }),
    );
    await findScreen(WELCOME_HEADING);
    expect(screen.getByRole('banner').textContent).toBe('Example University');
    expect(logo().getAttribute('src')).toBe(PNG_LOGO);
  });

  it("makes the station's accent the page's --accent, and a darker mix of it --accent-dark", async () => {
    const { unmount } = renderApp(createFakeWalkupApi({ station: branded({ accentColor: '#5c2d91' }) }));
    await findScreen(WELCOME_HEADING);
    const root = document.documentElement.style;
    expect(root.getPropertyValue('--accent')).toBe('#5c2d91');
    expect(root.getPropertyValue('--accent-dark')).toBe('color-mix(in srgb, #5c2d91 70%, #000)');
    unmount();
    expect(root.getPropertyValue('--accent')).toBe('');
  });
});

describe('helpdesk contact', () => {
  it('shows on the out-of-service screen when the station names one', async () => {
    renderApp(
      createFakeWalkupApi({
        station: branded(
          { helpdesk: 'IT helpdesk, room 1.04, extension 4357' },
          {
            inService: false,
            outOfService: { reason: 'directory-unreachable', since: new Date().toISOString() },
          },
        ),
      }),
    );
    await findScreen('This station is out of service');
    expect(screen.getByText('IT helpdesk, room 1.04, extension 4357', { exact: false }).textContent).toBe(
      'Helpdesk: IT helpdesk, room 1.04, extension 4357',
    );
  });

  it('shows on the Failed screen beside the reference', async () => {
    renderApp(
      createFakeWalkupApi({
        station: branded({ helpdesk: 'Room 1.04' }),
        visit: {
          phase: 'failed',
          reason: 'rejected',
          reference: 'REF-1',
          resetAt: new Date(Date.now() + 60_000).toISOString(),
        },
      }),
    );
    await findScreen("We couldn't confirm your Duo session");
    expect(screen.getByText('Room 1.04', { exact: false }).textContent).toBe('Helpdesk: Room 1.04');
  });

  it('shows nothing when the station names no one', async () => {
    renderApp(
      createFakeWalkupApi({
        station: branded(
          {},
          {
            inService: false,
            outOfService: { reason: 'directory-unreachable', since: new Date().toISOString() },
          },
        ),
      }),
    );
    await findScreen('This station is out of service');
    expect(screen.queryByText('Helpdesk:', { exact: false })).toBeNull();
  });
});
