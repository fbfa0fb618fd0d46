/**
 * When the sign-in screen offers and shows its on-screen keyboard (issue #12): pure decisions,
 * so each rule has a unit test (test/unit/renderer/keyboard-policy.test.ts) and the component
 * only reads the environment and applies them.
 *
 * `station.onScreenKeyboard` (StationInfo, from the `station` policy section):
 * - `on`: offered and shown on every station, the kiosk and portal mode alike;
 * - `off`: never offered;
 * - `auto`: offered in the kiosk only, and shown there at first when the primary pointer is coarse
 *   (a touch screen: Media Queries Level 4, `pointer: coarse`) until a physical key is pressed.
 *   Never in portal mode: a phone or tablet brings its own keyboard.
 * Where the keyboard is offered, the person may hide it or show it again (their choice wins over
 * the first decision until the form is reset).
 */
import type { StationInfo } from '../../main/contract';

/** The configured setting, as StationInfo carries it. */
export type OnScreenKeyboardSetting = StationInfo['onScreenKeyboard'];

/** What the renderer knows about where it runs. */
export interface KeyboardSituation {
  setting: OnScreenKeyboardSetting;
  /** The kiosk (Electron, `window.walkup` defined) rather than portal mode in a browser. */
  kiosk: boolean;
  /** The primary pointer is coarse: `matchMedia('(pointer: coarse)').matches`. */
  coarsePointer: boolean;
  /** A physical key was pressed on this station since the renderer started ({@link isPhysicalKeyDown}). */
  physicalKeyPressed: boolean;
}

/** Whether the keyboard (and its Show/Hide toggle) is there at all, and whether it starts shown. */
export interface KeyboardDecision {
  offered: boolean;
  shownAtFirst: boolean;
}

/** Decides from the setting and the situation; see the module comment for the rules. */
export function decideOnScreenKeyboard(situation: KeyboardSituation): KeyboardDecision {
  switch (situation.setting) {
    case 'on':
      return { offered: true, shownAtFirst: true };
    case 'off':
      return { offered: false, shownAtFirst: false };
    case 'auto':
      if (!situation.kiosk) return { offered: false, shownAtFirst: false };
      return {
        offered: true,
        shownAtFirst: situation.coarsePointer && !situation.physicalKeyPressed,
      };
  }
}

/** The person's own Show/Hide choice on this form, if they made one. */
export type KeyboardChoice = 'shown' | 'hidden' | undefined;

/** Whether the keyboard is on screen now: never where not offered; else the choice, else the decision. */
export function keyboardShown(decision: KeyboardDecision, choice: KeyboardChoice): boolean {
  if (!decision.offered) return false;
  if (choice !== undefined) return choice === 'shown';
  return decision.shownAtFirst;
}

/**
 * Whether a keydown came from a physical keyboard: the browser made it (`isTrusted`, UI Events;
 * a script's synthetic event is not) and not while a key of the on-screen keyboard itself has
 * focus, whose keys type through their own click handler and dispatch no key event. A
 * hardware keyboard-wedge (badge reader) counts as a physical keyboard too.
 */
export function isPhysicalKeyDown(
  event: { isTrusted: boolean; target: EventTarget | null; key?: string; isComposing?: boolean },
  keyboardRoot: { contains(node: Node | null): boolean } | null,
): boolean {
  if (!event.isTrusted) return false;
  // A system touch keyboard or an input method composes: its key is 'Unidentified' (W3C UI
  // Events, KeyboardEvent.key) or the event is part of a composition. That is no physical key.
  if (event.isComposing === true || event.key === 'Unidentified') return false;
  if (keyboardRoot && event.target instanceof Node && keyboardRoot.contains(event.target)) return false;
  return true;
}
