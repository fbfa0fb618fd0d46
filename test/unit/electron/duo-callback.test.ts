/**
 * The kiosk's v4 redirect_uri, end to end through the real engine: the navigation policy reads
 * the query with the contract's parser and the visit's pending Duo step judges it. A query the
 * parser refuses (a value over MAX_DUO_CALLBACK_PARAM_LENGTH) is still Duo's answer to this view:
 * it reaches the engine as an empty query, which the step refuses, so the visit ends as Failed
 * with a support reference (and the page was never loaded: see duo-view.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MAX_DUO_CALLBACK_PARAM_LENGTH } from '../../../main/contract/duo-formats';
import { createNavigationPolicy, decideDuoViewNavigation } from '../../../main/electron/navigation-policy';
import { PASSWORD, startHarness, useFakeTimersClosing, type Harness } from '../core/enrollment/fakes';

let h: Harness | undefined;
useFakeTimersClosing(() => h);

const callbackUrl = 'https://walkup.invalid/duo/callback';
const policy = createNavigationPolicy({ duoOrigin: 'https://duo.example.test', callbackUrl });

async function visitAtDuo() {
  const harness = await startHarness('v4');
  h = harness;
  const session = harness.engine.openSession({ duoPresentation: 'view' });
  expect(await session.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
  const state = new URL(session.pendingDuoUrl() ?? '').searchParams.get('state') ?? '';
  return { harness, session, state };
}

function paramsOf(url: string) {
  const decision = decideDuoViewNavigation(url, policy);
  if (decision.action !== 'callback') throw new Error(`not a callback: ${decision.action}`);
  return decision.params;
}

describe("the kiosk's redirect_uri through the engine", () => {
  it("verifies the visit from Duo's callback query", async () => {
    const { harness, session, state } = await visitAtDuo();
    const code = harness.duo.issueCode('alice');
    const params = paramsOf(`${callbackUrl}?state=${encodeURIComponent(state)}&duo_code=${code}`);
    expect(await session.handleDuoCallback(params)).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
  });

  it('ends the visit as Failed, with a reference, when a value is over-long', async () => {
    const { harness, session, state } = await visitAtDuo();
    const code = harness.duo.issueCode('alice');
    const long = 'x'.repeat(MAX_DUO_CALLBACK_PARAM_LENGTH + 1);
    const params = paramsOf(
      `${callbackUrl}?state=${encodeURIComponent(state)}&duo_code=${code}&error_description=${long}`,
    );
    expect(params).toEqual({});
    const result = await session.handleDuoCallback(params);
    expect(result).toMatchObject({ ok: false, reason: 'rejected', reference: expect.any(String) });
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reason: 'rejected' });
    // Nothing was exchanged with Duo for it.
    expect(harness.duo.exchanges).toBe(0);
  });
});
