/**
 * The Web SDK v2 integration through the `DuoIntegration` interface: a step per visit, the frame
 * message as its one answer (AUTH only), replay memory, and the ERR text sanitised.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONSUMED_MARGIN_MS } from '../../../../main/core/duo/consumed-set';
import type { DuoAnswer, DuoHealth, DuoStep } from '../../../../main/core/duo/types';
import { verifyResponse } from '../../../../main/core/duo/web-v2/signature';
import { createWebV2Integration } from '../../../../main/core/duo/web-v2/integration';
import { silentLogger } from '../../../../main/core/ports';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const AKEY = 'useacustomerprovidedapplicationsecretkey';
const NOW = 1_700_000_000;

function station(startSeconds = NOW) {
  let nowMs = startSeconds * 1000;
  const clock = { now: () => nowMs, sleep: async () => {} };
  const healthy: DuoHealth = { ok: true, checkedAt: 0 };
  const duo = createWebV2Integration({
    apiHost: 'api-xxxxxxxx.duosecurity.com',
    ikey: IKEY,
    skey: SKEY,
    akey: AKEY,
    clock,
    logger: silentLogger,
    health: async () => healthy,
  });
  return { duo, advance: (ms: number) => (nowMs += ms), nowMs: () => nowMs };
}

/** Duo's side: the AUTH (or ENROLL) part for a user, signed with the skey. */
function duoAnswer(prefix: 'AUTH' | 'ENROLL', user: string, exp: number): string {
  const cookie = `${prefix}|${Buffer.from(`${user}|${IKEY}|${exp}`).toString('base64')}`;
  return `${cookie}|${createHmac('sha1', SKEY).update(cookie).digest('hex')}`;
}

const frame = (response: string): DuoAnswer => ({ kind: 'frame-message', response });
const REMEMBER = { rememberUntil: (NOW + 900) * 1000 };

async function begin(duo: ReturnType<typeof station>['duo'], username = 'alice'): Promise<DuoStep> {
  return duo.begin(username, { presentation: 'view' });
}

describe('Web SDK v2 integration', () => {
  it('round trip: the TX part it signs and the AUTH answer verify with the APP part kept inside', async () => {
    const { duo } = station();
    const step = await begin(duo);
    if (step.launch.kind !== 'frame') throw new Error('expected a v2 launch');
    // Duo's side checks the TX part with the skey (duo_web's own verify, TX prefix).
    const [txPrefix, txB64] = step.launch.tx.split('|');
    expect(txPrefix).toBe('TX');
    expect(Buffer.from(txB64!, 'base64').toString()).toBe(`alice|${IKEY}|${NOW + 300}`);
    const response = duoAnswer('AUTH', 'alice', NOW + 300);
    expect(step.awaits(frame(response))).toBe(true);
    expect(await step.complete(frame(response), REMEMBER)).toEqual({ ok: true, username: 'alice' });
    expect(step.awaits(frame(response))).toBe(false);
    // The reference implementation agrees on what the APP part must be: none other verifies.
    expect(verifyResponse(IKEY, SKEY, AKEY, `${response}:APP|x|y`, NOW)).toBeNull();
  });

  it('refuses a genuine ENROLL answer as rejected, ending the visit, and remembers it', async () => {
    const { duo } = station();
    const step = await begin(duo);
    const response = duoAnswer('ENROLL', 'alice', NOW + 300);
    expect(await step.complete(frame(response), REMEMBER)).toEqual({
      ok: false,
      reason: 'rejected',
      code: 'token-invalid',
      detail: 'an ENROLL response, but Walkup asked for authentication (TX)',
      endsVisit: true,
    });
    expect(duo.isReplay(frame(response))).toBe(true);
  });

  it('remembers every well-formed answer (verified or not) until the visit could end, plus a margin', async () => {
    const { duo, advance } = station();
    const good = duoAnswer('AUTH', 'alice', NOW + 300);
    const forBob = duoAnswer('AUTH', 'bob', NOW + 300);
    await (await begin(duo)).complete(frame(good), REMEMBER);
    // Bob's answer against Alice's APP part: the users differ, so verify_response fails.
    expect(await (await begin(duo)).complete(frame(forBob), REMEMBER)).toMatchObject({
      code: 'token-invalid',
    });
    expect(duo.isReplay(frame(good))).toBe(true);
    expect(duo.isReplay(frame(forBob))).toBe(true);
    expect(duo.isReplay(frame(duoAnswer('AUTH', 'alice', NOW + 301)))).toBe(false);
    advance(900 * 1000 + CONSUMED_MARGIN_MS - 1);
    expect(duo.isReplay(frame(good))).toBe(true);
    advance(1);
    expect(duo.isReplay(frame(good))).toBe(false);
  });

  it('keeps the visit on noise, without remembering it', async () => {
    const { duo } = station();
    const step = await begin(duo);
    for (const response of ['hello', 'AUTH|only-two-parts', 'TX|abc|def', 'AUTH|ab c|def']) {
      expect(await step.complete(frame(response), REMEMBER)).toEqual({
        ok: false,
        reason: 'malformed',
        code: 'malformed',
        endsVisit: false,
      });
      expect(duo.isReplay(frame(response))).toBe(false);
    }
    expect(step.awaits(frame('AUTH|a|b'))).toBe(true);
  });

  it('ends the visit on ERR, with its text stripped of control and bidi characters and cut short', async () => {
    const { duo } = station();
    const step = await begin(duo);
    const verdict = await step.complete(
      frame(`ERR|Forged\r\n{"type":"duo-verified"}\u202e\u0000${'x'.repeat(300)}`),
      REMEMBER,
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'duo-error', code: 'duo-error', endsVisit: true });
    const detail = (verdict as { detail: string }).detail;
    const kept = 'Forged  {"type":"duo-verified"}  ';
    expect(detail).toBe(`frame reported: ${kept}${'x'.repeat(200 - kept.length)}`);
    expect(step.awaits(frame('AUTH|a|b'))).toBe(false);
  });

  it('accepts only frame messages: a callback is not awaited, not expected, and ends nothing', async () => {
    const { duo } = station();
    const step = await begin(duo);
    const callback: DuoAnswer = { kind: 'callback', params: { state: 's'.repeat(43), duoCode: 'c' } };
    expect(step.awaits(callback)).toBe(false);
    expect(step.expects(callback)).toBe(false);
    expect(duo.isReplay(callback)).toBe(false);
    expect(await step.complete(callback, REMEMBER)).toEqual({
      ok: false,
      reason: 'no-visit',
      code: 'no-visit',
      endsVisit: false,
    });
    expect(step.awaits(frame('AUTH|a|b'))).toBe(true);
  });
});
