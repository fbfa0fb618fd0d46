/**
 * The kiosk's own out-of-service page (crash loop, no renderer build) in the station's language:
 * lang, title, heading and line per language, English for anything else, no script or style;
 * and served that way by the app:// protocol.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { supportedLanguages } from '../../../main/contract/languages';
import { silentLogger } from '../../../main/core/ports';
import {
  OUT_OF_SERVICE_PATH,
  outOfServiceHtml,
  outOfServiceTexts,
} from '../../../main/electron/out-of-service-page';
import { setupAppProtocol } from '../../../main/electron/protocol';
import { protocol, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

/** The parts of the page a person (or a screen reader) meets. */
function parts(html: string) {
  return {
    lang: /<html lang="([^"]*)">/.exec(html)?.[1],
    title: /<title>([^<]*)<\/title>/.exec(html)?.[1],
    heading: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
    line: /<p>([^<]*)<\/p>/.exec(html)?.[1],
  };
}

describe('the out-of-service page', () => {
  it.each([
    ['en', 'en', 'This station is out of service', 'Please ask the help desk for assistance.'],
    ['de-CH', 'de', 'Diese Station ist außer Betrieb', 'Bitte wenden Sie sich an den Helpdesk.'],
    [
      'es-MX',
      'es',
      'Esta estación está fuera de servicio',
      'Diríjase al servicio de asistencia para obtener ayuda.',
    ],
    ['fr', 'fr', 'Cette station est hors service', 'Veuillez vous adresser au service d’assistance.'],
  ])('speaks the language of station locale %s', (locale, lang, heading, line) => {
    expect(parts(outOfServiceHtml(locale))).toEqual({
      lang,
      title: outOfServiceTexts[lang as keyof typeof outOfServiceTexts].title,
      heading,
      line,
    });
  });

  it('is in English for a locale Walkup does not speak, or none', () => {
    expect(parts(outOfServiceHtml('it-IT')).heading).toBe('This station is out of service');
    expect(parts(outOfServiceHtml('it-IT')).lang).toBe('en');
    expect(outOfServiceHtml(undefined)).toBe(outOfServiceHtml('en'));
  });

  it.each(supportedLanguages)(
    'in %s: a title of its own, no script, no style, nothing to escape',
    (language) => {
      const html = outOfServiceHtml(language);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).not.toMatch(/<script|<style|style=|<link|\son\w+=/i);
      expect(Object.values(outOfServiceTexts[language]).join('')).not.toMatch(/[<>&"]/);
      expect(parts(html).title).toMatch(/^Walkup/);
    },
  );

  it("is served by app:// in the station's language, also when the renderer build is missing", async () => {
    resetElectronFake();
    let locale: string | undefined = 'fr-FR';
    setupAppProtocol({
      rootDir: path.join(tmpdir(), 'walkup-no-such-build'),
      csp: () => "default-src 'self'",
      logger: silentLogger,
      locale: () => locale,
    });
    const handler = protocol.handlers.get('app')!;
    const page = await handler({ url: `app://walkup${OUT_OF_SERVICE_PATH}` });
    expect(page.status).toBe(200);
    expect(parts(await page.text()).heading).toBe('Cette station est hors service');
    locale = 'de';
    const missing = await handler({ url: 'app://walkup/index.html' });
    expect(missing.status).toBe(503);
    expect(parts(await missing.text()).heading).toBe('Diese Station ist außer Betrieb');
    locale = undefined;
    expect(parts(await (await handler({ url: `app://walkup${OUT_OF_SERVICE_PATH}` })).text()).lang).toBe(
      'en',
    );
  });
});
