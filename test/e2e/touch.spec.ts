/**
 * Touch (issue #12) in Chromium with touch input, through portal mode against slapd and the Duo
 * emulator. On the branded station (`station.onScreenKeyboard: 'on'`) a person signs in with taps
 * on the on-screen keyboard only (Shift for a capital, the symbols layer for bob's password) and
 * reaches Duo, and types an accented capital (the accents layer and its Shift); every key on every
 * layer is at least 48x48 px on a kiosk-sized portrait screen and at least 24x24 px at 320 px
 * (WCAG 2.2 SC 2.5.8); at 800x1280 and 1080x1920, before and after a refusal, every key is inside
 * the window and the focused field is not covered by the keyboard; axe passes with it open. On a default
 * station (`auto`) portal mode shows no keyboard. Text outside the inputs and the support
 * reference cannot be selected by a long press. Screenshots go to test-results/screens/.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { KEYBOARD_LAYOUT } from '../../renderer/touch/keyboard-layout';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';
import { SIGN_IN_HEADING, startSignIn } from './welcome';

const keyboardUrl = `http://127.0.0.1:${E2E_PORTS.brandedPortal}/`;
const defaultUrl = `http://127.0.0.1:${E2E_PORTS.v4Portal}/`;

test.use({ hasTouch: true });

/** Opens the station and goes from the welcome to the sign-in form. */
async function openSignIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await startSignIn(page);
}

function keyboard(page: Page): Locator {
  return page.getByRole('group', { name: 'On-screen keyboard' });
}

function key(page: Page, name: string): Locator {
  return keyboard(page).getByRole('button', { name, exact: true });
}

const lettersLayer = new Set(KEYBOARD_LAYOUT.default.flatMap((row) => row.split(' ')));
const symbolsLayer = new Set(KEYBOARD_LAYOUT.symbols.flatMap((row) => row.split(' ')));

/**
 * Types `text` with taps on the keyboard only: Shift before a capital, the symbols key before a
 * character only that layer has, and back to letters for the rest.
 */
async function tapText(page: Page, text: string): Promise<void> {
  let layer: 'letters' | 'symbols' = 'letters';
  for (const character of text) {
    if (character === ' ') {
      await key(page, 'Space').tap();
      continue;
    }
    const lower = character.toLowerCase();
    const wanted = lettersLayer.has(lower) ? 'letters' : symbolsLayer.has(character) ? 'symbols' : undefined;
    if (!wanted) throw new Error(`the keyboard has no key for ${JSON.stringify(character)}`);
    if (wanted !== layer) {
      await key(page, wanted === 'symbols' ? 'Symbols' : 'Letters ABC').tap();
      layer = wanted;
    }
    if (character !== lower) await key(page, 'Shift').tap();
    await key(page, character).tap();
  }
  if (layer === 'symbols') await key(page, 'Letters ABC').tap();
}

/** The smallest width and height among the keys shown now, in CSS px. */
async function smallestKey(page: Page): Promise<{ width: number; height: number }> {
  const boxes = await keyboard(page)
    .getByRole('button')
    .evaluateAll((keys) => keys.map((element) => element.getBoundingClientRect()));
  expect(boxes.length).toBeGreaterThan(20);
  return {
    width: Math.min(...boxes.map((box) => box.width)),
    height: Math.min(...boxes.map((box) => box.height)),
  };
}

/**
 * The smallest key on each layer (letters, capitals, symbols, accents, accented capitals); back
 * on letters afterwards.
 */
async function smallestKeyOnEveryLayer(page: Page): Promise<{ width: number; height: number }> {
  const sizes = [await smallestKey(page)];
  await key(page, 'Shift').tap();
  sizes.push(await smallestKey(page));
  await key(page, 'Shift').tap();
  await key(page, 'Symbols').tap();
  sizes.push(await smallestKey(page));
  await key(page, 'Accented letters àé').tap();
  sizes.push(await smallestKey(page));
  await key(page, 'Shift').tap();
  sizes.push(await smallestKey(page));
  await key(page, 'Shift').tap();
  await key(page, 'Letters ABC').tap();
  return {
    width: Math.min(...sizes.map((size) => size.width)),
    height: Math.min(...sizes.map((size) => size.height)),
  };
}

/** What simple-keyboard holds for each field now (its input buffer). */
async function keyboardBuffer(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const registry = (
      window as { SimpleKeyboardInstances?: Record<string, { getAllInputs(): object } | null> }
    ).SimpleKeyboardInstances;
    const live = Object.values(registry ?? {}).find((instance) => instance);
    return (live?.getAllInputs() ?? {}) as Record<string, string>;
  });
}

/**
 * What a person sees now, without scrolling: every key's box inside the window, and the field
 * being typed in (and the Sign in button, once scrolled to) not covered by the keyboard: the
 * element at its centre is itself.
 */
async function expectKeyboardAndFieldInView(page: Page, field: Locator): Promise<void> {
  await expect(field).toBeFocused();
  const outside = await keyboard(page)
    .getByRole('button')
    .evaluateAll((keys) =>
      keys
        .map((element) => ({ name: element.textContent, box: element.getBoundingClientRect() }))
        .filter(
          ({ box }) =>
            box.top < 0 || box.left < 0 || box.bottom > window.innerHeight || box.right > window.innerWidth,
        )
        .map(({ name, box }) => `${name ?? ''} at ${Math.round(box.top)}..${Math.round(box.bottom)}`),
    );
  expect(outside, `keys outside the ${await page.evaluate(() => window.innerHeight)} px window`).toEqual([]);
  expect(await uncovered(field), 'the focused field is visible and not under the keyboard').toBe(true);
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await signIn.scrollIntoViewIfNeeded();
  expect(await uncovered(signIn), 'Sign in is not under the keyboard').toBe(true);
  await field.scrollIntoViewIfNeeded();
}

/** Whether the element at the centre of `locator`'s box (in the window) is that element. */
async function uncovered(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === element;
  });
}

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe('a station with the on-screen keyboard on, portrait 800x1280', () => {
  test.use({ viewport: { width: 800, height: 1280 } });

  test('a person signs in with taps on the keyboard only and reaches Duo', async ({ page }) => {
    const bob = E2E_USERS.bob;
    const loaded: string[] = [];
    page.on('request', (request) => loaded.push(request.url()));
    await openSignIn(page, keyboardUrl);
    await expect(keyboard(page)).toBeVisible();
    // Its lazy chunk and style sheet came with it.
    expect(loaded.some((url) => /\/on-screen-keyboard-[\w-]+\.js$/.test(url))).toBe(true);
    expect(loaded.some((url) => /\/on-screen-keyboard-[\w-]+\.css$/.test(url))).toBe(true);
    // The system's own touch keyboard stays closed while ours shows.
    await expect(page.getByLabel('Username')).toHaveAttribute('inputmode', 'none');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('inputmode', 'none');

    const smallest = await smallestKeyOnEveryLayer(page);
    expect(smallest.width).toBeGreaterThanOrEqual(48);
    expect(smallest.height).toBeGreaterThanOrEqual(48);

    // Shift gives one capital, then the keyboard is back in lower case.
    await page.getByLabel('Username').tap();
    await key(page, 'Shift').tap();
    await expect(key(page, 'Shift')).toHaveAttribute('aria-pressed', 'true');
    await key(page, 'B').tap();
    await expect(key(page, 'Shift')).toHaveAttribute('aria-pressed', 'false');
    await key(page, 'o').tap();
    await expect(page.getByLabel('Username')).toHaveValue('Bo');
    await key(page, 'Backspace').tap();
    await key(page, 'Backspace').tap();
    await expect(page.getByLabel('Username')).toHaveValue('');
    await expectKeyboardAndFieldInView(page, page.getByLabel('Username'));

    // An accented capital: the accents layer, then Shift there (one capital, back to accents).
    await key(page, 'Accented letters àé').tap();
    await key(page, 'Shift').tap();
    await key(page, 'É').tap();
    await expect(key(page, 'Shift')).toHaveAttribute('aria-pressed', 'false');
    await key(page, 'ñ').tap();
    await expect(page.getByLabel('Username')).toHaveValue('Éñ');
    await key(page, 'Backspace').tap();
    await key(page, 'Backspace').tap();
    await key(page, 'Letters ABC').tap();
    await expect(page.getByLabel('Username')).toHaveValue('');

    // A wrong password first: the refusal clears it, and so it is gone from the keyboard too.
    await tapText(page, bob.username);
    await page.getByLabel('Password', { exact: true }).tap();
    await tapText(page, 'Wrong-1');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('Wrong-1');
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
    await key(page, 'Enter').tap();
    await expect(page.getByRole('alert')).toContainText('Support reference');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    expect(await keyboardBuffer(page)).toMatchObject({ username: bob.username, password: '' });
    // The refusal's messages made the page longer: the keys and the field are still in view.
    await expectKeyboardAndFieldInView(page, page.getByLabel('Password', { exact: true }));

    // bob's password needs the symbols layer: ( ) * \ $ &.
    await page.getByLabel('Password', { exact: true }).tap();
    await tapText(page, bob.password);
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue(bob.password);
    await expect(page.getByLabel('Username')).toHaveValue(bob.username);
    await screenshot(page, 'touch-keyboard-800x1280');
    await expectAccessible(page, 'sign-in with the on-screen keyboard at 800x1280');

    await key(page, 'Enter').tap();
    await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
    await expect(page.getByRole('heading', { name: new RegExp(bob.username) })).toBeVisible();
    // End the visit, so the station is free for the next spec.
    await page.getByRole('button', { name: 'Add a device' }).tap();
    await page.getByRole('button', { name: 'Finish' }).tap();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  });

  test('a physical key leaves it on ("on" is always); Hide and Show keyboard work', async ({ page }) => {
    await openSignIn(page, keyboardUrl);
    await page.getByLabel('Username').focus();
    await page.keyboard.type('al');
    await expect(page.getByLabel('Username')).toHaveValue('al');
    await expect(keyboard(page)).toBeVisible();

    await page.getByRole('button', { name: 'Hide keyboard' }).tap();
    await expect(keyboard(page)).toHaveCount(0);
    await expect(page.getByLabel('Username')).toHaveAttribute('inputmode', 'text');
    await page.getByRole('button', { name: 'Show keyboard' }).tap();
    await expect(keyboard(page)).toBeVisible();
    // What was typed physically is still there, and the keyboard appends to it.
    await key(page, 'i').tap();
    await expect(page.getByLabel('Username')).toHaveValue('ali');
  });
});

test.describe('portrait 1080x1920', () => {
  test.use({ viewport: { width: 1080, height: 1920 } });

  test('keys are at least 48x48 px and axe passes with the keyboard open', async ({ page }) => {
    await openSignIn(page, keyboardUrl);
    await expect(keyboard(page)).toBeVisible();
    const smallest = await smallestKeyOnEveryLayer(page);
    expect(smallest.width).toBeGreaterThanOrEqual(48);
    expect(smallest.height).toBeGreaterThanOrEqual(48);
    expect(await sidewaysOverflow(page)).toBe(0);
    await expectKeyboardAndFieldInView(page, page.getByLabel('Username'));
    await screenshot(page, 'touch-keyboard-1080x1920');
    await expectAccessible(page, 'sign-in with the on-screen keyboard at 1080x1920');
    await key(page, 'Accented letters àé').tap();
    await expectAccessible(page, "the keyboard's accents layer at 1080x1920");
    await key(page, 'Symbols').tap();
    await expectAccessible(page, "the keyboard's symbols layer at 1080x1920");
    await key(page, 'Letters ABC').tap();
  });

  test('after a refusal the keys and the focused password field stay in view', async ({ page }) => {
    await openSignIn(page, keyboardUrl);
    // An account the directory does not have: a refusal that locks no one out.
    await page.getByLabel('Username').fill('touch-nobody');
    await page.getByLabel('Password', { exact: true }).fill('not-a-password');
    await key(page, 'Enter').tap();
    await expect(page.getByRole('alert')).toContainText('Support reference');
    await expectKeyboardAndFieldInView(page, page.getByLabel('Password', { exact: true }));
  });
});

test.describe('320 px wide', () => {
  test.use({ viewport: { width: 320, height: 640 }, isMobile: true });

  test('every key keeps at least 24x24 px (WCAG 2.2 SC 2.5.8) and nothing overflows', async ({ page }) => {
    await openSignIn(page, keyboardUrl);
    await expect(keyboard(page)).toBeVisible();
    const smallest = await smallestKeyOnEveryLayer(page);
    expect(smallest.width).toBeGreaterThanOrEqual(24);
    expect(smallest.height).toBeGreaterThanOrEqual(24);
    expect(await sidewaysOverflow(page)).toBe(0);
    // No key's label is cut off (the one-key-wide layer keys: "#+=", "àé").
    const clipped = await keyboard(page)
      .locator('.hg-button span')
      .evaluateAll((labels) =>
        labels
          .filter((label) => label.scrollWidth > label.clientWidth + 0.5)
          .map((label) => `${label.textContent ?? ''}: ${label.scrollWidth} > ${label.clientWidth}`),
      );
    expect(clipped).toEqual([]);
    await screenshot(page, 'touch-keyboard-320px');
    await expectAccessible(page, 'sign-in with the on-screen keyboard at 320 px');
  });
});

test.describe('a default station ("auto") in portal mode on a touch screen', () => {
  test.use({ viewport: { width: 800, height: 1280 }, isMobile: true });

  test('shows no on-screen keyboard and no toggle: the phone brings its own', async ({ page }) => {
    const loaded: string[] = [];
    page.on('request', (request) => loaded.push(request.url()));
    await openSignIn(page, defaultUrl);
    await expect(page.getByLabel('Username')).toBeVisible();
    await expect(keyboard(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: /keyboard/i })).toHaveCount(0);
    await expect(page.getByLabel('Username')).toHaveAttribute('inputmode', 'text');
    await expect(page.getByLabel('Username')).toHaveAttribute('autocapitalize', 'none');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('inputmode', 'text');
    // Nor is its code or style sheet loaded (a lazy chunk of its own).
    expect(loaded.filter((url) => /on-screen-keyboard/.test(url))).toEqual([]);
  });

  test('text cannot be selected by a long press, but inputs and the support reference can', async ({
    page,
  }) => {
    await openSignIn(page, defaultUrl);
    const userSelect = (locator: Locator) =>
      locator.evaluate((element) => getComputedStyle(element).userSelect);
    expect(await userSelect(page.getByRole('heading', { level: 1, name: SIGN_IN_HEADING }))).toBe('none');
    expect(await userSelect(page.locator('body'))).not.toBe('none');
    expect(await userSelect(page.locator('.app'))).toBe('none');
    expect(await userSelect(page.getByLabel('Username'))).toBe('text');
    expect(await userSelect(page.getByLabel('Password', { exact: true }))).toBe('text');

    await page.getByLabel('Username').fill(E2E_USERS.alice.username);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).tap();
    const reference = page.getByRole('alert').locator('.reference');
    await expect(reference).toContainText('Support reference');
    expect(await userSelect(reference)).toBe('text');
    expect(await userSelect(page.getByRole('alert').locator('p').first())).toBe('none');
  });
});
