/**
 * simple-keyboard's "modern browsers" ES module build (`build/index.modern.esm.js`): the same
 * Keyboard as the package's main entry without its polyfills for old browsers, about a third of
 * its size (11 KB instead of 35 KB gzip). The package ships types for its main entry only; this
 * gives them to the modern build, whose exports are the same (`default` and `SimpleKeyboard`).
 */
declare module 'simple-keyboard/build/index.modern.esm.js' {
  import SimpleKeyboard from 'simple-keyboard';

  export { SimpleKeyboard };
  export type * from 'simple-keyboard';
  export default SimpleKeyboard;
}
