// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  decideOnScreenKeyboard,
  isPhysicalKeyDown,
  keyboardShown,
  type KeyboardSituation,
} from '../../../renderer/touch/keyboard-policy';

const kioskTouch: KeyboardSituation = {
  setting: 'auto',
  kiosk: true,
  coarsePointer: true,
  physicalKeyPressed: false,
};

describe('decideOnScreenKeyboard', () => {
  it("'on' offers and shows the keyboard everywhere, a physical key or not", () => {
    for (const kiosk of [true, false])
      for (const coarsePointer of [true, false])
        for (const physicalKeyPressed of [true, false])
          expect(decideOnScreenKeyboard({ setting: 'on', kiosk, coarsePointer, physicalKeyPressed })).toEqual(
            {
              offered: true,
              shownAtFirst: true,
            },
          );
  });

  it("'off' never offers it", () => {
    for (const kiosk of [true, false])
      for (const coarsePointer of [true, false])
        expect(
          decideOnScreenKeyboard({ setting: 'off', kiosk, coarsePointer, physicalKeyPressed: false }),
        ).toEqual({ offered: false, shownAtFirst: false });
  });

  it("'auto' shows it in the kiosk with a coarse pointer until a physical key is pressed", () => {
    expect(decideOnScreenKeyboard(kioskTouch)).toEqual({ offered: true, shownAtFirst: true });
    expect(decideOnScreenKeyboard({ ...kioskTouch, physicalKeyPressed: true })).toEqual({
      offered: true,
      shownAtFirst: false,
    });
  });

  it("'auto' offers it hidden in a kiosk with a fine pointer (a mouse)", () => {
    expect(decideOnScreenKeyboard({ ...kioskTouch, coarsePointer: false })).toEqual({
      offered: true,
      shownAtFirst: false,
    });
  });

  it("'auto' never offers it in portal mode, even on a touch screen (phones bring their own)", () => {
    expect(decideOnScreenKeyboard({ ...kioskTouch, kiosk: false })).toEqual({
      offered: false,
      shownAtFirst: false,
    });
  });
});

describe('keyboardShown', () => {
  const offeredShown = { offered: true, shownAtFirst: true };
  const offeredHidden = { offered: true, shownAtFirst: false };

  it('follows the decision until the person chooses', () => {
    expect(keyboardShown(offeredShown, undefined)).toBe(true);
    expect(keyboardShown(offeredHidden, undefined)).toBe(false);
  });

  it("the person's Show or Hide wins over the decision", () => {
    expect(keyboardShown(offeredShown, 'hidden')).toBe(false);
    expect(keyboardShown(offeredHidden, 'shown')).toBe(true);
  });

  it('a keyboard that is not offered never shows, whatever was chosen', () => {
    expect(keyboardShown({ offered: false, shownAtFirst: false }, 'shown')).toBe(false);
  });
});

describe('isPhysicalKeyDown', () => {
  function dom() {
    const root = document.createElement('div');
    const key = document.createElement('button');
    root.append(key);
    const input = document.createElement('input');
    document.body.append(root, input);
    return { root, key, input };
  }

  it('counts a trusted keydown outside the on-screen keyboard', () => {
    const { root, input } = dom();
    expect(isPhysicalKeyDown({ isTrusted: true, target: input }, root)).toBe(true);
    expect(isPhysicalKeyDown({ isTrusted: true, target: document.body }, root)).toBe(true);
    expect(isPhysicalKeyDown({ isTrusted: true, target: input }, null)).toBe(true);
  });

  it("does not count a script's synthetic keydown, nor one on the on-screen keyboard's own keys", () => {
    const { root, key, input } = dom();
    expect(isPhysicalKeyDown({ isTrusted: false, target: input }, root)).toBe(false);
    expect(isPhysicalKeyDown({ isTrusted: true, target: key }, root)).toBe(false);
    // What a script dispatches is never trusted (UI Events).
    const synthetic = new KeyboardEvent('keydown', { key: 'a' });
    expect(synthetic.isTrusted).toBe(false);
    expect(isPhysicalKeyDown(synthetic, root)).toBe(false);
  });

  it("does not count a system touch keyboard's or an input method's keys (Unidentified, composing)", () => {
    const { root, input } = dom();
    expect(isPhysicalKeyDown({ isTrusted: true, target: input, key: 'Unidentified' }, root)).toBe(false);
    expect(isPhysicalKeyDown({ isTrusted: true, target: input, key: 'a', isComposing: true }, root)).toBe(
      false,
    );
    expect(isPhysicalKeyDown({ isTrusted: true, target: input, key: 'a', isComposing: false }, root)).toBe(
      true,
    );
  });
});
