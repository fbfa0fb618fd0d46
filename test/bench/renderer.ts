/**
 * Section 4: the first screen. Initial JS/CSS bytes (gzip and brotli, as served) of the built
 * renderer, and the time from navigation to an interactive sign-in form in Chromium (cold: a new
 * browser context each time), against a blank page served by the same portal from the same
 * folder, interleaved. Both times are read inside the page (performance.now(), polled every frame).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createMemoryAuditLog } from '../../main/core/audit';
import { systemClock } from '../../main/core/ports';
import type { DuoEmulator } from '../support/duo-emulator';
import { median, round, stats, type SectionOutput } from './report';
import { startBenchStation } from './stations';

/** Files index.html loads at once: module scripts, module preloads, style sheets. */
function initialFiles(indexHtml: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const tag of indexHtml.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1];
    if (tag.startsWith('<script') && attr('src')) scripts.push(attr('src')!);
    if (tag.startsWith('<link') && attr('rel') === 'modulepreload') scripts.push(attr('href')!);
    if (tag.startsWith('<link') && attr('rel') === 'stylesheet') styles.push(attr('href')!);
  }
  return { scripts, styles };
}

const sizeOf = (file: string): number => statSync(file, { throwIfNoEntry: false })?.size ?? Number.NaN;

export async function runRendererBench(
  options: { rendererDir: string; emulator: DuoEmulator; runs: number; chromiumPath: string },
  out: SectionOutput,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'walkup-bench-renderer-'));
  try {
    cpSync(options.rendererDir, dir, { recursive: true });
    // The blank page: same server, same folder, same headers (no-cache), nothing to run.
    writeFileSync(
      path.join(dir, 'blank.html'),
      '<!doctype html><html lang="en"><title>blank</title><p>blank</p></html>',
    );

    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    const { scripts, styles } = initialFiles(index);
    const sum = (files: string[], suffix: string) =>
      files.reduce((total, file) => total + sizeOf(path.join(dir, file) + suffix), 0);
    const js = { raw: sum(scripts, ''), gzip: sum(scripts, '.gz'), br: sum(scripts, '.br') };
    const css = { raw: sum(styles, ''), gzip: sum(styles, '.gz'), br: sum(styles, '.br') };
    const kib = (bytes: number) => `${round(bytes / 1024, 1)} KiB`;
    out.print(
      `Initial JavaScript (${scripts.length} file(s)): ${kib(js.raw)} raw, ${kib(js.gzip)} gzip, ${kib(js.br)} brotli`,
    );
    out.print(
      `Initial CSS (${styles.length} file(s)): ${kib(css.raw)} raw, ${kib(css.gzip)} gzip, ${kib(css.br)} brotli`,
    );
    out.print(`target initial JS <= 150 KiB gzip: ${js.gzip <= 150 * 1024 ? 'met' : 'NOT met'}`);
    out.figure('initialJsBytes', js);
    out.figure('initialCssBytes', css);

    const station = await startBenchStation({
      emulator: options.emulator,
      directory: { type: 'demo' },
      audit: createMemoryAuditLog({ clock: systemClock, stationName: 'bench' }),
      rendererDir: dir,
    });
    const browser = await chromium.launch({ executablePath: options.chromiumPath, args: ['--no-sandbox'] });
    try {
      const base = station.portal.url;
      // The station must be in service, or the first screen is "out of service", not the form.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const info = (await (await fetch(`${base}/api/station`)).json()) as { inService: boolean };
        if (info.inService) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Functions, not strings: the portal's CSP (script-src 'self') refuses eval in the page.
      // (This file is type-checked without the DOM library: the page's document is described here.)
      type PageDocument = {
        readyState: string;
        querySelector(selector: string): { disabled?: boolean } | null;
      };
      const formReady = () => {
        const page = (globalThis as unknown as { document: PageDocument }).document;
        const input = page.querySelector('form.sign-in-form input');
        const button = page.querySelector('form.sign-in-form button[type=submit]');
        return input && button && !input.disabled && !button.disabled ? performance.now() : false;
      };
      const blankReady = () =>
        (globalThis as unknown as { document: PageDocument }).document.readyState === 'complete'
          ? performance.now()
          : false;
      const measure = async (url: string, ready: () => number | false): Promise<number> => {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          await page.goto(url, { waitUntil: 'commit' });
          const handle = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 30_000 });
          return Number(await handle.jsonValue());
        } finally {
          await context.close();
        }
      };
      // One warm-up each (server JIT, disk cache), then interleaved runs.
      await measure(`${base}/`, formReady);
      await measure(`${base}/blank.html`, blankReady);
      const form: number[] = [];
      const blank: number[] = [];
      for (let run = 0; run < options.runs; run += 1) {
        form.push(await measure(`${base}/`, formReady));
        blank.push(await measure(`${base}/blank.html`, blankReady));
      }
      const ratio = median(form) / median(blank);
      out.print(
        `Time from navigation to an interactive sign-in form, Chromium, cold context, median of ${options.runs}: ` +
          `${round(median(form), 0)} ms (p99 ${round(stats(form).p99, 0)})`,
      );
      out.print(
        `Blank page, same server and headers: ${round(median(blank), 0)} ms (p99 ${round(stats(blank).p99, 0)}); ratio ${round(ratio, 2)} (target <= 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`,
      );
      out.figure('timeToInteractiveFormMs', {
        median: round(median(form)),
        samples: form.map((v) => round(v)),
      });
      out.figure('blankPageMs', { median: round(median(blank)), samples: blank.map((v) => round(v)) });
      out.figure('ratio', round(ratio, 3));
    } finally {
      await browser.close();
      await station.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
