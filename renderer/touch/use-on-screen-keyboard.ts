/**
 * The sign-in screen's on-screen keyboard state (issue #12): reads where the renderer runs,
 * watches for a physical key, and applies the pure rules of keyboard-policy.ts.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  decideOnScreenKeyboard,
  isPhysicalKeyDown,
  keyboardShown,
  type KeyboardChoice,
  type OnScreenKeyboardSetting,
} from './keyboard-policy';

/** Where the renderer runs, as far as the keyboard cares. */
export interface TouchEnvironment {
  /** The kiosk: the Electron preload's `window.walkup` is defined. */
  kiosk: boolean;
  /** The primary pointer is coarse (Media Queries Level 4, `pointer: coarse`). */
  coarsePointer: boolean;
}

/** Reads the environment of this window (a browser without `matchMedia` has a fine pointer). */
export function readTouchEnvironment(): TouchEnvironment {
  return {
    kiosk: window.walkup !== undefined,
    coarsePointer: typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches,
  };
}

/**
 * Whether a physical key was pressed since the renderer started. Kept for the renderer's life,
 * not per visit: a station that has a keyboard still has it for the next person.
 */
const physicalKeys = { pressed: false };

/** Forgets the physical key (tests only: each test starts as a fresh renderer). */
export function forgetPhysicalKeys(): void {
  physicalKeys.pressed = false;
}

/** What {@link useOnScreenKeyboard} gives the sign-in screen. */
export interface OnScreenKeyboardState {
  /** The keyboard and its Show/Hide toggle are there at all. */
  offered: boolean;
  /** The keyboard is on screen now (the inputs then get `inputmode="none"`). */
  shown: boolean;
  /** The Show/Hide toggle: the person's choice wins until the form is reset. */
  toggle(): void;
  /** The keyboard's root element: keys pressed inside it are not physical keys. */
  rootRef: { current: HTMLElement | null };
}

/**
 * The keyboard's state for one sign-in form. While a physical key can still change the decision
 * (`auto` in the kiosk), one capture-phase `keydown` listener on the window watches for it; it is
 * removed once one is seen, and on unmount.
 */
export function useOnScreenKeyboard(
  setting: OnScreenKeyboardSetting,
  environment: TouchEnvironment,
): OnScreenKeyboardState {
  const [physicalKeyPressed, setPhysicalKeyPressed] = useState(physicalKeys.pressed);
  const [choice, setChoice] = useState<KeyboardChoice>(undefined);
  const rootRef = useRef<HTMLElement | null>(null);
  const decision = decideOnScreenKeyboard({ setting, ...environment, physicalKeyPressed });
  const shown = keyboardShown(decision, choice);
  // Only while the keyboard is on screen (the fields then have inputmode="none"): once hidden, the
  // system's own touch keyboard may open, and its keys must not switch the keyboard off for the
  // people after this one.
  const watching = setting === 'auto' && decision.shownAtFirst && shown;

  useEffect(() => {
    if (!watching) return;
    const noteKey = (event: KeyboardEvent) => {
      if (!isPhysicalKeyDown(event, rootRef.current)) return;
      physicalKeys.pressed = true;
      setPhysicalKeyPressed(true);
    };
    window.addEventListener('keydown', noteKey, true);
    return () => window.removeEventListener('keydown', noteKey, true);
  }, [watching]);

  const toggle = useCallback(() => setChoice(shown ? 'hidden' : 'shown'), [shown]);
  return { offered: decision.offered, shown, toggle, rootRef };
}
