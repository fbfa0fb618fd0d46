/**
 * Section 4: the first screen. The built renderer's weight as a table (`renderer-weight.ts`, the
 * measure the size test bounds): the initial JavaScript (entry chunk and its static imports) and
 * CSS, and each lazily loaded chunk (languages, keyboard), in gzip and brotli bytes as served and
 * raw; the initial JavaScript against its 150 KiB gzip budget (absolute bytes: a weight does not
 * depend on the machine). Then the time from navigation to an interactive first screen (the
 * welcome screen's Start button, or the sign-in form where a station shows it first) in Chromium
 * (cold: a new browser context each time), against a blank page served by the same portal from the
 * same folder, interleaved. Both times are read inside the page (performance.now(), polled every
 * frame); the ratio is reported, never asserted.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createMemoryAuditLog } from '../../main/core/audit';
import { systemClock } from '../../main/core/ports';
import type { DuoEmulator } from '../support/duo-emulator';
import { INITIAL_JS_GZIP_BUDGET_BYTES, measureRendererWeight, weightTable } from '../support/renderer-weight';
import { median, round, stats, type SectionOutput } from './report';
import { startBenchStation } from './stations';

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

    const weight = measureRendererWeight(dir);
    for (const line of weightTable(weight)) out.print(line);
    const bytesOf = (chunks: typeof weight.initial) => ({
      raw: chunks.reduce((total, chunk) => total + chunk.raw, 0),
      gzip: chunks.reduce((total, chunk) => total + chunk.gzip, 0),
      br: chunks.reduce((total, chunk) => total + chunk.brotli, 0),
    });
    out.figure('initialJsBytes', bytesOf(weight.initial));
    out.figure('initialJsBudgetGzipBytes', INITIAL_JS_GZIP_BUDGET_BYTES);
    out.figure('initialCssBytes', bytesOf(weight.styles));
    out.figure(
      'lazyChunks',
      weight.lazy.map(({ file, label, raw, gzip, brotli }) => ({ file, label, raw, gzip, br: brotli })),
    );

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
      // The first screen is the welcome (its Start button) or the sign-in form.
      const formReady = () => {
        const page = (globalThis as unknown as { document: PageDocument }).document;
        const start = page.querySelector('.welcome button.welcome-start');
        if (start && !start.disabled) return performance.now();
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
        `Time from navigation to an interactive first screen, Chromium, cold context, median of ${options.runs}: ` +
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
