/**
 * The first script of index.html (Vite bundles it with main.tsx, ahead of the app's modules):
 * sets `<html lang>` to the browser's first supported language (`navigator.languages`)
 * and marks the choice, so renderer/startup.css shows the start-up text in that language.
 * main.tsx then loads that language before React draws its first screen; the station's own
 * locale takes over once the station answers.
 */
import { preferredLanguage } from '../main/contract/languages';

const root = document.documentElement;
root.lang = preferredLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
root.dataset.startupLanguage = root.lang;
