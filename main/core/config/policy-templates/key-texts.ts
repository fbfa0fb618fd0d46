/**
 * The words the MDM templates show an administrator for each policy key: a title, a description
 * and an example value. The keys themselves (names, types, bounds, defaults) come from the one
 * schema through `policyKeys()`; a test fails when this table misses a key or names one the
 * schema does not have, so the two cannot drift apart.
 */

export interface KeyText {
  readonly title: string;
  readonly description: string;
  /** Shown in the example policy (and sample profile) when it differs from the default, or there is none. */
  readonly example?: unknown;
}

/** One title and description per section (registry subkey, plist dict, ADMX category). */
export const sectionTexts: Readonly<Record<string, KeyText>> = {
  station: {
    title: 'Station',
    description: 'The station itself: its name, language, state folder and screen timings.',
  },
  'station.idle': {
    title: 'Idle timings',
    description: 'How long each screen waits for the person before the visit is reset, in seconds.',
  },
  branding: {
    title: 'Branding',
    description:
      "How the station presents itself: the organisation's name and logo, the accent colour, the welcome text and whom to ask.",
  },
  directory: {
    title: 'Directory',
    description: 'The directory (Active Directory or OpenLDAP) people sign in against.',
  },
  'directory.tls': { title: 'Directory TLS', description: 'How the station trusts the directory servers.' },
  'directory.timeouts': {
    title: 'Directory timeouts',
    description: 'Per-server time limits, in milliseconds.',
  },
  'directory.throttling': {
    title: 'Sign-in throttling',
    description:
      'Failed sign-ins allowed before a cool-down. Keep perUser below the directory lockout threshold so the kiosk can never lock an account.',
  },
  'directory.throttling.perUser': {
    title: 'Per account',
    description: 'Counted like AD badPwdCount: the count resets only after windowSeconds without a failure.',
  },
  'directory.throttling.perStation': {
    title: 'Per station (portal mode: per client address)',
    description: 'A sliding window across all usernames, against password spraying.',
  },
  'directory.throttling.allClients': {
    title: 'All clients (portal mode)',
    description: 'A ceiling across all client addresses together, far above normal use.',
  },
  duo: {
    title: 'Duo',
    description: 'The Duo application: Web SDK v4 (Universal Prompt, the default) or the legacy Web SDK v2.',
  },
  portal: {
    title: 'Portal mode',
    description: 'The HTTP server of portal mode (walkup serve); not used by the kiosk.',
  },
  audit: { title: 'Audit log', description: 'The JSON-lines audit log on the station.' },
  'audit.syslog': {
    title: 'Audit forwarding (syslog)',
    description:
      'Also send every audit line to one syslog collector (RFC 5424 over UDP, TCP or TLS), best effort; the audit file stays the record. Unset: no forwarding.',
  },
  kiosk: {
    title: 'Kiosk',
    description: 'Switches of the Electron kiosk; security switches are off by default.',
  },
  admin: {
    title: 'Admin screen',
    description:
      'The admin PIN pad: attempts before the lockout, the lockout, and the idle time of an admin session.',
  },
};

/** One entry per policy key, by dotted path. */
export const keyTexts: Readonly<Record<string, KeyText>> = {
  'station.name': {
    title: 'Station name',
    description: 'Shown on the screens and recorded in the audit log (1 to 100 characters).',
    example: 'IT Helpdesk - Building 4',
  },
  'station.stateDirectory': {
    title: 'State folder',
    description:
      'Folder for state that must survive a restart (throttle counters, the audit username key). The kiosk defaults to its userData folder.',
    example: '/var/lib/walkup',
  },
  'station.locale': {
    title: 'Language',
    description:
      'BCP 47 tag such as en, de-CH, es or fr: the language of the screens (English, German, Spanish or French; any other falls back to English) and of dates and numbers. The person may pick another of the four on the welcome and sign-in screens for their visit; every reset returns the kiosk to this one.',
  },
  'station.idle.signInSeconds': {
    title: 'Sign-in screen',
    description: 'Seconds the sign-in screen waits (10 to 3600).',
  },
  'station.idle.refusedSeconds': {
    title: 'Refused sign-in',
    description: 'Seconds a refused sign-in message stays on screen (5 to 600).',
  },
  'station.idle.duoSeconds': {
    title: 'Duo without activity',
    description: "Seconds without activity on Duo's pages before the visit ends (30 to 7200).",
  },
  'station.idle.visitCapSeconds': {
    title: 'Visit cap',
    description: 'The longest a visit may last, whatever happens (60 to 14400 seconds).',
  },
  'station.idle.warningSeconds': {
    title: 'Warning',
    description: 'Seconds of countdown shown before an idle reset (5 to 300).',
  },
  'station.idle.doneSeconds': {
    title: 'Done screen',
    description: 'Seconds the Done screen stays (2 to 300).',
  },
  'station.idle.failedSeconds': {
    title: 'Failed screen',
    description:
      'Seconds a failed visit keeps its message and support reference on screen, unless the person presses Try again (2 to 600).',
  },
  'station.onScreenKeyboard': {
    title: 'On-screen keyboard',
    description:
      'auto: shown in the kiosk on a touch screen until a physical key is pressed, never in portal mode; on: always shown; off: never.',
  },
  'branding.organisation': {
    title: 'Organisation',
    description: 'Name shown in the header of every screen (1 to 80 characters).',
    example: 'Example University',
  },
  'branding.logoFile': {
    title: 'Logo file',
    description:
      'PNG, SVG or JPEG file of at most 256 KB shown in the header. A file that cannot be used gives the default logo and the station warning branding-logo-unusable.',
    example: '/etc/walkup/logo.svg',
  },
  'branding.accentColor': {
    title: 'Accent colour',
    description:
      'Colour of primary buttons as #rrggbb. Refused unless it has at least 4.5:1 contrast (WCAG 2.1 AA) with white text and with the page background (#f6f7f9): a colour below that puts the station out of service (configuration-invalid), the message naming the ratio.',
    example: '#5c2d91',
  },
  'branding.welcomeText': {
    title: 'Welcome text',
    description:
      'A sentence or two on the welcome screen about what the station is for (up to 500 characters), in the language of station.locale: it shows only while the screens speak that language; a person who picks another language sees the built-in text in theirs.',
    example: 'Set up Duo on your phone before your first day of work.',
  },
  'branding.helpdesk': {
    title: 'Helpdesk contact',
    description:
      'Whom to ask for help, e.g. a room and phone number (up to 200 characters), shown on the welcome, Failed and out-of-service screens.',
    example: 'IT helpdesk, room 1.04, extension 4357',
  },
  'directory.type': {
    title: 'Directory type',
    description: 'ad (Active Directory), openldap, or demo (built-in demo users, demo mode only). Required.',
    example: 'ad',
  },
  'directory.servers': {
    title: 'Servers',
    description:
      'Replica URLs, tried in order (ldaps://host[:port], or ldap:// with StartTLS). Failover happens only on connect, TLS or timeout errors.',
    example: ['ldaps://dc1.corp.example.com', 'ldaps://dc2.corp.example.com:636'],
  },
  'directory.baseDN': {
    title: 'Base DN',
    description: 'Where users are searched. Required unless the type is demo.',
    example: 'OU=People,DC=corp,DC=example,DC=com',
  },
  'directory.bindDN': {
    title: 'Service account DN',
    description: 'The account that searches for the person. Unset: anonymous search.',
    example: 'CN=svc-walkup,OU=Service Accounts,DC=corp,DC=example,DC=com',
  },
  'directory.bindPassword': {
    title: 'Service account password (reference)',
    description:
      'Where the service account password is read from: a file readable by the station alone ({ "file": path }) or an environment variable ({ "env": name }). Never the password itself.',
    example: { file: '/etc/walkup/ldap-password' },
  },
  'directory.userFilter': {
    title: 'User filter',
    description:
      'LDAP search filter with a {username} placeholder. Unset: sAMAccountName or userPrincipalName (AD), uid (OpenLDAP).',
    example:
      '(&(objectCategory=person)(objectClass=user)(|(sAMAccountName={username})(userPrincipalName={username})))',
  },
  'directory.tls.caFile': {
    title: 'CA file',
    description: 'PEM file with the CA that issued the directory certificates.',
    example: '/etc/walkup/corp-root-ca.pem',
  },
  'directory.tls.useSystemCA': {
    title: 'Trust the system CA store',
    description: "Also trust the operating system's certificate store.",
  },
  'directory.tls.startTLS': { title: 'StartTLS', description: 'Upgrade ldap:// connections with StartTLS.' },
  'directory.tls.servername': {
    title: 'Certificate host name',
    description: 'Expected certificate host name, when the server URL holds an IP address.',
    example: 'dc1.corp.example.com',
  },
  'directory.tls.minVersion': { title: 'Minimum TLS version', description: 'TLSv1.2 or TLSv1.3.' },
  'directory.allowInsecure': {
    title: 'Allow plain LDAP',
    description:
      'Allow password binds over plain ldap:// without StartTLS. The station works, with a warning in its status. Leave off.',
  },
  'directory.timeouts.connectMs': {
    title: 'Connect timeout',
    description: 'Milliseconds to connect (100 to 60000).',
  },
  'directory.timeouts.operationMs': {
    title: 'Operation timeout',
    description: 'Milliseconds per LDAP operation (100 to 120000).',
  },
  'directory.failoverCooldownSeconds': {
    title: 'Failover cool-down',
    description: 'Seconds a server that just failed is skipped (0 to 3600).',
  },
  'directory.allowedGroups': {
    title: 'Allowed groups',
    description: 'Group DNs; when set, only their (nested) members may enroll.',
    example: ['CN=Duo Users,OU=Groups,DC=corp,DC=example,DC=com'],
  },
  'directory.deniedGroups': {
    title: 'Denied groups',
    description: 'Group DNs whose (nested) members may never enroll here.',
    example: ['CN=Privileged Admins,OU=Groups,DC=corp,DC=example,DC=com'],
  },
  'directory.groupBaseDN': {
    title: 'Group base DN',
    description: 'Where OpenLDAP groups are searched when resolving nested membership. Unset: the base DN.',
    example: 'OU=Groups,DC=corp,DC=example,DC=com',
  },
  'directory.groupNestingDepth': {
    title: 'Group nesting depth',
    description: 'Deepest group nesting followed without server-side support (0 to 32).',
  },
  'directory.passwordPolicyDN': {
    title: 'Default password policy DN (OpenLDAP)',
    description:
      "OpenLDAP ppolicy: the default policy entry (slapd's ppolicy_default), so an expired password is refused before the bind.",
    example: 'cn=default,ou=policies,dc=example,dc=org',
  },
  'directory.upnSuffixes': {
    title: 'UPN suffixes',
    description: 'Suffixes accepted in user@suffix (without the @).',
    example: ['corp.example.com', 'example.com'],
  },
  'directory.netbiosDomains': {
    title: 'NetBIOS domains',
    description: 'Domain names accepted in DOMAIN\\user.',
    example: ['CORP'],
  },
  'directory.maxUsernameLength': {
    title: 'Longest username',
    description: 'Characters accepted in the username field (1 to 1024).',
  },
  'directory.throttling.perUser.maxFailures': {
    title: 'Per account: failures',
    description:
      'Failures allowed before a cool-down (1 to 1000). Keep it below the directory lockout threshold.',
    example: 3,
  },
  'directory.throttling.perUser.windowSeconds': {
    title: 'Per account: quiet period',
    description:
      'Seconds without a failure that reset the count; at least AD\'s "reset account lockout counter after".',
    example: 1800,
  },
  'directory.throttling.perUser.lockoutSeconds': {
    title: 'Per account: cool-down',
    description: 'Seconds of cool-down once the limit is reached (1 to 86400).',
    example: 900,
  },
  'directory.throttling.perStation.maxFailures': {
    title: 'Per station: failures',
    description: 'Failures across all usernames allowed in the window (1 to 1000).',
    example: 10,
  },
  'directory.throttling.perStation.windowSeconds': {
    title: 'Per station: window',
    description: 'Seconds of the sliding window.',
    example: 300,
  },
  'directory.throttling.perStation.lockoutSeconds': {
    title: 'Per station: cool-down',
    description: 'Seconds of cool-down once the limit is reached.',
    example: 300,
  },
  'directory.throttling.allClients.maxFailures': {
    title: 'All clients: failures',
    description: 'Failures across all client addresses allowed in the window (portal mode).',
    example: 1000,
  },
  'directory.throttling.allClients.windowSeconds': {
    title: 'All clients: window',
    description: 'Seconds of the sliding window.',
    example: 300,
  },
  'directory.throttling.allClients.lockoutSeconds': {
    title: 'All clients: cool-down',
    description: 'Seconds of cool-down once the limit is reached.',
    example: 60,
  },
  'directory.throttling.minFailureMs': {
    title: 'Least time of a failed sign-in',
    description:
      'Milliseconds every failed attempt takes at least, so timing does not reveal which usernames exist.',
  },
  'directory.showConditions': {
    title: 'Account conditions told to the person',
    description:
      'Conditions the person may be told once the directory has checked the password; everyone else sees "please see the helpdesk".',
  },
  'duo.sdk': {
    title: 'Duo Web SDK',
    description: 'v4 (Universal Prompt, the default) or v2 (legacy iframe; Duo ended its support in 2024).',
    example: 'v4',
  },
  'duo.apiHost': {
    title: 'API hostname',
    description: "The Duo application's API hostname. Required.",
    example: 'api-1234abcd.duosecurity.com',
  },
  'duo.clientId': {
    title: 'Client ID (v4)',
    description: "The Duo application's 20-character Client ID. Web SDK v4 only.",
    example: 'DIXXXXXXXXXXXXXXXXXX',
  },
  'duo.clientSecret': {
    title: 'Client secret reference (v4)',
    description:
      'Where the client secret is read from: { "file": path } or { "env": name }. Never the secret itself. Web SDK v4 only.',
    example: { file: '/etc/walkup/duo-client-secret' },
  },
  'duo.caFile': {
    title: 'Duo CA file',
    description:
      "PEM CA for a private Duo endpoint (the emulator). Unset: Duo's pinned CA bundle. Leave unset.",
  },
  'duo.healthCacheSeconds': {
    title: 'Health check cache',
    description: 'Seconds a successful Duo health check is trusted (0 to 3600).',
  },
  'duo.ikey': {
    title: 'Integration key (v2)',
    description: 'The 20-character integration key. Web SDK v2 only.',
    example: 'DIXXXXXXXXXXXXXXXXXX',
  },
  'duo.skey': {
    title: 'Secret key reference (v2)',
    description: 'Where the secret key is read from: { "file": path } or { "env": name }. Web SDK v2 only.',
    example: { file: '/etc/walkup/duo-skey' },
  },
  'duo.akey': {
    title: 'Application key reference (v2)',
    description:
      'Where the application key (at least 40 random characters, generated by you) is read from: { "file": path } or { "env": name }. Web SDK v2 only.',
    example: { file: '/etc/walkup/duo-akey' },
  },
  'portal.host': { title: 'Listen address', description: 'Address portal mode listens on.' },
  'portal.port': { title: 'Port', description: 'Port portal mode listens on (0 to 65535).' },
  'portal.publicUrl': {
    title: 'Public URL',
    description: 'Public base URL (for the Duo v4 redirect) behind a reverse proxy. Unset: http://host:port.',
    example: 'https://walkup.corp.example.com',
  },
  'portal.trustProxy': {
    title: 'Trust X-Forwarded-For',
    description: 'Believe X-Forwarded-For for the client address; only behind a reverse proxy that sets it.',
  },
  'audit.file': {
    title: 'Audit file',
    description:
      "The JSON-lines audit file. Unset: the kiosk's logs folder, walkup serve's state folder, or memory for a demo station.",
    example: '/var/log/walkup/audit.jsonl',
  },
  'audit.maxBytes': {
    title: 'Rotate at (bytes)',
    description: 'Size at which the audit file is rotated (at least 10000).',
  },
  'audit.keep': { title: 'Files kept', description: 'Rotated files kept (1 to 100).' },
  'audit.minHistoryHours': {
    title: 'Least history (hours)',
    description:
      'Rotation keeps files younger than this even beyond the files kept, up to twice as many; 0 turns it off.',
  },
  'audit.perClientPerMinute': {
    title: 'Lines per client and minute',
    description:
      'Portal mode: audit lines written per client address and minute at most; more are summarised.',
  },
  'audit.usernameHashKey': {
    title: 'Username hash key reference',
    description:
      'Key of the keyed hash recorded instead of an unresolved typed username: { "file": path } or { "env": name }. Unset: generated once in the state folder.',
    example: { file: '/etc/walkup/audit-username-key' },
  },
  'audit.syslog.host': {
    title: 'Syslog collector',
    description: "The collector's host name or IP address.",
    example: 'syslog.corp.example.com',
  },
  'audit.syslog.transport': {
    title: 'Syslog transport',
    description: 'udp (RFC 5426), tcp (RFC 6587 octet counting) or tls (RFC 5425, certificate verified).',
  },
  'audit.syslog.port': {
    title: 'Syslog port',
    description: 'Unset: 514 for udp and tcp, 6514 for tls.',
    example: 6514,
  },
  'audit.syslog.caFile': {
    title: 'Syslog CA file',
    description:
      "TLS: PEM file of the CA that issued the collector's certificate. Unset: the system's trusted CAs.",
    example: '/etc/walkup/syslog-ca.pem',
  },
  'audit.syslog.serverName': {
    title: 'Syslog certificate name',
    description: "TLS: the name the collector's certificate must carry. Unset: the collector's host.",
    example: 'syslog.corp.example.com',
  },
  'audit.syslog.facility': {
    title: 'Syslog facility',
    description: 'The facility of every message (RFC 5424 names: auth, authpriv, audit, local0 to local7…).',
  },
  'audit.syslog.appName': {
    title: 'Syslog APP-NAME',
    description: 'APP-NAME of every message: 1 to 48 printable ASCII characters without spaces.',
  },
  'audit.syslog.queueLines': {
    title: 'Syslog queue (lines)',
    description:
      'Messages waiting for the collector at most (10 to 100000); more are dropped, counted and shown as a station warning.',
  },
  'kiosk.allowInsecureSecretStorage': {
    title: 'Allow obfuscated secret storage (Linux)',
    description:
      'Accept the Linux basic_text safeStorage backend, where secrets in the kiosk vault ({ "vault": name } references) are only obfuscated. Off: a kiosk that reads its secrets from the vault on basic_text is out of service with that reason.',
  },
  'kiosk.adminChord': {
    title: 'Admin key chord',
    description:
      'The keys that open the admin PIN pad, e.g. Ctrl+Shift+Alt+K (at least two modifiers). Five taps in the top-left corner within three seconds also open it.',
    example: 'Ctrl+Shift+Alt+K',
  },
  'portal.adminScreen': {
    title: 'Admin screen in portal mode',
    description:
      'Serve the admin screen and first-run setup to browsers on the same machine (loopback only), behind the admin PIN. Off by default.',
  },
  'admin.maxPinAttempts': {
    title: 'PIN attempts',
    description: 'Wrong admin PINs in a row before the PIN pad locks (1 to 10).',
  },
  'admin.lockoutSeconds': {
    title: 'PIN lockout',
    description: 'How long the PIN pad stays locked after too many wrong PINs, in seconds.',
  },
  'admin.idleSeconds': {
    title: 'Admin session idle time',
    description: 'The admin screen locks after this many seconds without use.',
  },
  'kiosk.allowSecurityKeys': {
    title: 'Allow security keys',
    description:
      "Let Duo's top-level page (its origin only) use security keys through WebAuthn (Web SDK v4). Never WebHID, WebUSB or Web Serial.",
    example: true,
  },
};
