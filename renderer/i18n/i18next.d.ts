import type { Messages } from './en';

/** Types every `t()` key against the English messages, so a typo is a compile error. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
