/**
 * The v2 (traditional iframe) side of the Duo gateway against the emulator's frame: the TX part
 * we sign is accepted by the frame, and the AUTH part the frame posts back verifies with the APP
 * part kept in main.
 */
import { describe, expect, it } from 'vitest';
import { createDuoGateway } from '../../main/core/duo';
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

const emulator = useDuoEmulator();

function gateway(akey = AKEY) {
  return createDuoGateway(
    emulatorV2Config(emulator),
    { skey: emulator.integrations.v2.skey, akey },
    { clock: systemClock, logger: silentLogger, redirectUri: '', timeoutMs: 5000 },
  );
}

/** Opens the frame the way Duo-Web-v2.js 2.9 does, presses Finish, returns the posted message. */
async function frameMessageFor(tx: string): Promise<string> {
  const { frame, message } = await finishWebV2Frame(emulator, tx, PARENT);
  expect(frame.status).toBe(200);
  return message;
}

describe('Duo v2 gateway against the emulator frame', () => {
  it('signs a request the frame accepts and verifies the AUTH message it posts back', async () => {
    const duo = gateway();
    const request = duo.signV2Request('alice');
    expect(request.host).toBe(emulator.apiHost);
    expect(request.tx).toMatch(/^TX\|/);
    expect(request.app).toMatch(/^APP\|/);
    const message = await frameMessageFor(request.tx);
    expect(message).toMatch(/^AUTH\|/);
    expect(duo.verifyV2Response(message, request.app)).toBe('alice');
  });

  it("refuses the AUTH message with another visit's APP part (other user)", async () => {
    const duo = gateway();
    const alice = duo.signV2Request('alice');
    const bob = duo.signV2Request('bob');
    const message = await frameMessageFor(alice.tx);
    expect(duo.verifyV2Response(message, bob.app)).toBeNull();
  });

  it('refuses an APP part signed with another akey', async () => {
    const request = gateway().signV2Request('alice');
    const message = await frameMessageFor(request.tx);
    const otherStation = gateway('another-application-key-0123456789abcdefgh');
    expect(otherStation.verifyV2Response(message, request.app)).toBeNull();
  });

  it('refuses an ERR message from the frame', async () => {
    const duo = gateway();
    const request = duo.signV2Request('alice');
    const page = await browseEmulator(emulator, webV2FramePath(`${request.tx}x`, PARENT));
    const message = postedFrameMessage(page.body) ?? '';
    expect(message).toMatch(/^ERR\|/);
    expect(duo.verifyV2Response(message, request.app)).toBeNull();
  });

  it('throws when a v4 method is called on a v2 gateway (a bug in the caller)', async () => {
    const duo = gateway();
    expect(() => duo.startAuthorization('alice')).toThrow(/v2 gateway/);
    expect(() => duo.completeAuthorization({}, { authUrl: '', state: '', nonce: '', username: '' })).toThrow(
      /v2 gateway/,
    );
  });
});
