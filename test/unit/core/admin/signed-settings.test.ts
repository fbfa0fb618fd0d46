import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  readSignedSettings,
  writeSignedSettings,
} from '../../../../main/core/admin/signed-settings';
import { memorySecretStore, memorySettingsFile } from './fakes';

const SETTINGS = { station: { name: 'Lobby kiosk' }, directory: { servers: ['ldaps://dc1.example.test'] } };

describe('signed local settings', () => {
  it('round trip: written with a tag, read back; the key is created once in the secret store', async () => {
    const file = memorySettingsFile();
    const secrets = memorySecretStore();
    expect(await writeSignedSettings(file, secrets, SETTINGS)).toEqual({ ok: true });
    expect(file.content).toMatchObject({
      version: 1,
      settings: SETTINGS,
      tag: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const key = secrets.values.get('settings.hmacKey');
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(await readSignedSettings(file, secrets)).toEqual({
      settings: SETTINGS,
      problems: [],
      tampered: false,
    });
    await writeSignedSettings(file, secrets, { station: { name: 'Other' } });
    expect(secrets.values.get('settings.hmacKey')).toBe(key);
  });

  it('an empty file is no settings', async () => {
    expect(await readSignedSettings(memorySettingsFile(), memorySecretStore())).toEqual({
      settings: {},
      problems: [],
      tampered: false,
    });
    expect((await readSignedSettings(memorySettingsFile({}), memorySecretStore())).tampered).toBe(false);
  });

  it('a file emptied or removed after Walkup signed one (its key exists) is refused as removed outside Walkup', async () => {
    const file = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(file, secrets, SETTINGS);
    for (const emptied of [undefined, {}]) {
      file.content = emptied;
      const read = await readSignedSettings(file, secrets);
      expect(read).toMatchObject({ settings: {}, tampered: true });
      expect(read.problems).toEqual([expect.stringContaining('local settings were removed outside Walkup')]);
    }
  });

  it('one changed byte of a value is refused, reported without the values', async () => {
    const file = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(file, secrets, SETTINGS);
    const changed = JSON.parse(JSON.stringify(file.content).replace('dc1', 'dc2')) as unknown;
    file.content = changed;
    const read = await readSignedSettings(file, secrets);
    expect(read.settings).toEqual({});
    expect(read.tampered).toBe(true);
    expect(read.problems).toEqual([
      expect.stringMatching(
        /^local settings were changed outside Walkup \(.+\): re-save them in the admin screen$/,
      ),
    ]);
    expect(read.problems.join()).not.toContain('dc2');
  });

  it('a changed tag is refused too', async () => {
    const file = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(file, secrets, SETTINGS);
    const content = file.content as { tag: string };
    content.tag = `${content.tag[0] === '0' ? '1' : '0'}${content.tag.slice(1)}`;
    expect((await readSignedSettings(file, secrets)).tampered).toBe(true);
  });

  it('a legacy untagged settings file is refused', async () => {
    const read = await readSignedSettings(memorySettingsFile(SETTINGS), memorySecretStore());
    expect(read).toMatchObject({ settings: {}, tampered: true });
    expect(read.problems[0]).toContain('changed outside Walkup');
  });

  it('a key that is missing or unreadable is a problem naming why; the settings are not used', async () => {
    const file = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(file, secrets, SETTINGS);
    secrets.unreadable.add('settings.hmacKey');
    const unreadable = await readSignedSettings(file, secrets);
    expect(unreadable.settings).toEqual({});
    expect(unreadable.problems[0]).toContain(
      'settings.hmacKey cannot be read (the vault entry cannot be decrypted)',
    );
    secrets.unreadable.clear();
    secrets.values.delete('settings.hmacKey');
    const missing = await readSignedSettings(file, secrets);
    expect(missing.settings).toEqual({});
    expect(missing.problems[0]).toContain('settings.hmacKey is not stored');
  });

  it('the canonical form sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
  });
});
