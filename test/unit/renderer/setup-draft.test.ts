import { describe, expect, it } from 'vitest';
import { adminDraftSchema } from '../../../main/contract/admin';
import {
  emptySetupForm,
  fieldOfPath,
  missingDirectoryFields,
  missingDuoFields,
  setupDraft,
  type SetupForm,
} from '../../../renderer/admin/setup-draft';

const form: SetupForm = {
  duo: {
    sdk: 'v4',
    apiHost: ' api-test.duosecurity.com ',
    clientId: 'DIXXXXXXXXXXXXXXXXXX',
    clientSecret: 'client-secret-value',
    ikey: 'ignored',
    skey: 'ignored-skey',
  },
  directory: {
    type: 'openldap',
    servers: 'ldaps://ldap1.example.test:636\n\n  ldap://ldap2.example.test  \n',
    baseDN: 'dc=example,dc=test',
    bindDN: 'cn=walkup,dc=example,dc=test',
    bindPassword: 'bind-secret',
    startTLS: true,
  },
};

describe('setup draft', () => {
  it('maps a v4 form to setting changes by key and secrets by the key that uses them', () => {
    const draft = setupDraft(form);
    expect(adminDraftSchema.parse(draft)).toEqual(draft);
    expect(draft.changes).toEqual([
      { path: 'duo.sdk', value: 'v4' },
      { path: 'duo.apiHost', value: 'api-test.duosecurity.com' },
      { path: 'duo.clientId', value: 'DIXXXXXXXXXXXXXXXXXX' },
      { path: 'directory.type', value: 'openldap' },
      { path: 'directory.servers', value: ['ldaps://ldap1.example.test:636', 'ldap://ldap2.example.test'] },
      { path: 'directory.baseDN', value: 'dc=example,dc=test' },
      { path: 'directory.bindDN', value: 'cn=walkup,dc=example,dc=test' },
      { path: 'directory.tls.startTLS', value: true },
    ]);
    expect(draft.secrets).toEqual({
      'duo.clientSecret': 'client-secret-value',
      'directory.bindPassword': 'bind-secret',
    });
    // Secrets never travel among the settings.
    expect(JSON.stringify(draft.changes)).not.toContain('secret-value');
    expect(JSON.stringify(draft.changes)).not.toContain('bind-secret');
  });

  it('maps v2 to the integration and secret keys and leaves the application key to main', () => {
    const draft = setupDraft({ ...form, duo: { ...form.duo, sdk: 'v2', ikey: 'DIYYYYYYYYYYYYYYYYYY' } });
    expect(draft.changes.filter((change) => change.path.startsWith('duo.'))).toEqual([
      { path: 'duo.sdk', value: 'v2' },
      { path: 'duo.apiHost', value: 'api-test.duosecurity.com' },
      { path: 'duo.ikey', value: 'DIYYYYYYYYYYYYYYYYYY' },
    ]);
    expect(draft.secrets).toEqual({ 'duo.skey': 'ignored-skey', 'directory.bindPassword': 'bind-secret' });
    expect(Object.keys(draft.secrets)).not.toContain('duo.akey');
  });

  it('leaves out an empty service account and StartTLS when not chosen', () => {
    const draft = setupDraft({
      ...form,
      directory: { ...form.directory, bindDN: ' ', bindPassword: '', startTLS: false },
    });
    const paths = draft.changes.map((change) => change.path);
    expect(paths).not.toContain('directory.bindDN');
    expect(paths).not.toContain('directory.tls.startTLS');
    expect(draft.secrets).not.toHaveProperty('directory.bindPassword');
  });

  it('names the required fields left empty, per SDK and for the directory', () => {
    expect(missingDuoFields(emptySetupForm.duo)).toEqual(['duo.apiHost', 'duo.clientId', 'duo.clientSecret']);
    expect(missingDuoFields({ ...emptySetupForm.duo, sdk: 'v2', apiHost: 'x' })).toEqual([
      'duo.ikey',
      'duo.skey',
    ]);
    expect(missingDuoFields(form.duo)).toEqual([]);
    expect(missingDirectoryFields(emptySetupForm.directory)).toEqual([
      'directory.servers',
      'directory.baseDN',
    ]);
    expect(missingDirectoryFields({ ...form.directory, bindPassword: '' })).toEqual([
      'directory.bindPassword',
    ]);
    expect(missingDirectoryFields(form.directory)).toEqual([]);
  });

  it('finds the field of a save error key, list entries included', () => {
    expect(fieldOfPath('directory.servers.1')).toBe('directory.servers');
    expect(fieldOfPath('duo.clientId')).toBe('duo.clientId');
    expect(fieldOfPath('duo.clientIdentity')).toBeUndefined();
    expect(fieldOfPath('')).toBeUndefined();
  });
});
