import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { z } from 'zod';
import { App } from './app';
import { selectWalkupApi } from './api/select-api';
import { applyStationLocale, createWalkupI18n } from './i18n';
import './styles.css';

// zod probes for `new Function` (its JIT) on first use; the CSP has no 'unsafe-eval', so the
// probe only logs a CSP violation. Jitless parsing never asks.
z.config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const i18n = createWalkupI18n();

// index.html's start-up text stays until the browser's language (set on <html lang> by
// startup-language.ts) is loaded, so React's first screen speaks the same language; the
// station's locale takes over when it answers. applyStationLocale never rejects.
void applyStationLocale(i18n, document.documentElement.lang || 'en').then(() => {
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        {/* In the kiosk (the preload's window.walkup), main shows Duo in a view of its own. */}
        {/* In portal mode (a browser), the browser's own languages choose the default language. */}
        <App
          api={selectWalkupApi()}
          environment={
            window.walkup !== undefined
              ? { duoShownByMain: true }
              : { duoShownByMain: false, browserLanguages: navigator.languages }
          }
        />
      </I18nextProvider>
    </StrictMode>,
  );
});
