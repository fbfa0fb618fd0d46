/**
 * The Web SDK v2 integration against the emulator's frame: the TX part a step signs is accepted
 * by the frame, and the AUTH part the frame posts back verifies with the APP part kept in main.
 */
import { describe, expect, it } from 'vitest';
import { createDuoIntegration } from '../../main/core/duo';
import type { DuoAnswer, DuoIntegration, DuoStep } from '../../main/core/duo/types';
import { silentLogger, systemClock } from '../../main/core/ports';
import {
  browseEmulator,
  finishWebV2Frame,
  postedFrameMessage,
  webV2FramePath,
} from '../support/duo-emulator/browser';
import { emulatorV2Config, useDuoEmulator } from '../support/duo-emulator/test-setup';

const AKEY = 'walkup-test-application-key-0123456789abcdef';
const PARENT = 'http://127.0.0.1:8787/visit/duo';
const REMEMBER = { rememberUntil: Date.now() + 900_000 };

const emulator = useDuoEmulator();

function integration(): DuoIntegration {
  return createDuoIntegration(
    emulatorV2Config(emulator),
    { skey: emulator.integrations.v2.skey, akey: AKEY },
    { clock: systemClock, logger: silentLogger, redirectUri: '', timeoutMs: 5000 },
  );
}

/** A step for `username` and the TX part it gave the page. */
async function begin(
  duo: DuoIntegration,
  username: string,
): Promise<{ step: DuoStep; tx: string; host: string }> {
  const step = await duo.begin(username, { presentation: 'view' });
  if (step.launch.kind !== 'frame') throw new Error('expected a v2 launch');
  return { step, tx: step.launch.tx, host: step.launch.host };
}

/** Opens the frame the way Duo-Web-v2.js 2.9 does, presses Finish, returns the posted message. */
async function frameMessageFor(tx: string): Promise<DuoAnswer> {
  const { frame, message } = await finishWebV2Frame(emulator, tx, PARENT);
  expect(frame.status).toBe(200);
  return { kind: 'frame-message', response: message };
}

describe('Duo v2 integration against the emulator frame', () => {
  it('signs a request the frame accepts and verifies the AUTH message it posts back', async () => {
    const duo = integration();
    const { step, tx, host } = await begin(duo, 'alice');
    expect(host).toBe(emulator.apiHost);
    expect(tx).toMatch(/^TX\|/);
    const answer = await frameMessageFor(tx);
    expect(answer).toMatchObject({ response: expect.stringMatching(/^AUTH\|/) });
    expect(await step.complete(answer, REMEMBER)).toEqual({ ok: true, username: 'alice' });
    expect(duo.isReplay(answer)).toBe(true);
  });

  it("refuses the AUTH message for another visit's step (other user)", async () => {
    const duo = integration();
    const alice = await begin(duo, 'alice');
    const bob = await begin(duo, 'bob');
    const answer = await frameMessageFor(alice.tx);
    expect(await bob.step.complete(answer, REMEMBER)).toMatchObject({ ok: false, reason: 'rejected' });
  });

  it('ends the step as a Duo error on the ERR message the frame posts for a bad request', async () => {
    const { step, tx } = await begin(integration(), 'alice');
    const page = await browseEmulator(emulator, webV2FramePath(`${tx}x`, PARENT));
    const message = postedFrameMessage(page.body) ?? '';
    expect(message).toMatch(/^ERR\|/);
    expect(await step.complete({ kind: 'frame-message', response: message }, REMEMBER)).toMatchObject({
      ok: false,
      reason: 'duo-error',
      endsVisit: true,
      detail: expect.stringMatching(/^frame reported: /),
    });
  });
});
