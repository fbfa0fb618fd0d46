/** Fixed loopback ports of the end-to-end stack (test/e2e/stack.ts). */
export const E2E_PORTS = {
  /** Portal mode with Duo Web SDK v4 (Universal Prompt). */
  v4Portal: 8791,
  /** Portal mode with Duo Web SDK v2 (iframe). */
  v2Portal: 8792,
  /** Portal mode whose Duo is down (out of service). */
  duoDownPortal: 8793,
  /** Duo Web SDK v2 with short idle timings, for the screens' time bounds (issue #7). */
  shortV2Portal: 8794,
  /** Duo Web SDK v2 whose visit cap comes before its idle reset (issue #7). */
  capV2Portal: 8795,
  /**
   * A real `walkup serve --state-dir` child with a fresh state folder and a policy that sets only
   * switches (admin screen on, the servers' CA files): first run, `setup-required` (issue #11).
   */
  firstRunPortal: 8796,
  /** A real `walkup serve --state-dir`, configured by policy, admin PIN provisioned (issue #11). */
  adminPortal: 8797,
  /** As `adminPortal`, for the PIN pad's lockout (it stays locked for `admin.lockoutSeconds`). */
  lockoutPortal: 8798,
  /**
   * Duo Web SDK v4 with a `branding` section: organisation, the default logo file as a configured
   * logo, a purple accent and a helpdesk contact (issue #12); and `station.onScreenKeyboard: 'on'`,
   * so its sign-in screen shows the on-screen keyboard (touch.spec.ts).
   */
  brandedPortal: 8799,
  /**
   * Duo Web SDK v4 named as the demo is, whose Done and Failed screens stay up long enough for the
   * screen sweep to check them in each language and colour mode (issue #12).
   */
  sweepV4Portal: 8800,
  /** As `sweepV4Portal`, with Duo Web SDK v2 (the frame). */
  sweepV2Portal: 8801,
} as const;
