/**
 * English, the reference language: every other language must have exactly these keys (the type
 * `Messages` enforces it). Keys under `signIn.errors`, `conditions`, `inputProblems`,
 * `outOfService.reasons`, `failed.reasons` and `resetNotices` are the contract's reason codes.
 */
export const en = {
  app: {
    starting: 'Starting…',
    startingDetail: 'The station is getting ready. This takes a moment.',
  },
  signIn: {
    heading: 'Sign in to manage your Duo devices',
    intro:
      'Sign in with your usual work username and password. You can then add, replace or remove the phones and keys you use with Duo.',
    username: 'Username',
    password: 'Password',
    showPassword: 'Show password',
    submit: 'Sign in',
    reference: 'Support reference: {{reference}}',
    errors: {
      'invalid-credentials': 'Sign-in failed: the username or password is incorrect. Please try again.',
      'invalid-input': 'Please check your username and password and try again.',
      throttled: 'Too many sign-in attempts.',
      'station-paused':
        'This station has paused sign-ins for a short while. This is not because of anything you did.',
      'not-allowed': 'Your account cannot manage Duo devices at this station. Please see the helpdesk.',
      'see-helpdesk': 'Your account needs attention before you can continue. Please see the helpdesk.',
      'directory-unavailable':
        'The sign-in service cannot be reached right now. Please try again in a few minutes, or see the helpdesk.',
      'duo-unavailable': 'Duo cannot be reached right now. Please try again later, or see the helpdesk.',
      'out-of-service': 'This station is out of service. Please see the helpdesk.',
    },
    notices: {
      'checking-timeout': 'Checking took too long and was stopped. Please sign in again.',
      'session-renewed': 'The station has started a fresh session. Please choose "Sign in" once more.',
    },
    throttledWait: {
      seconds_one: 'Please wait {{count}} second, then try again.',
      seconds_other: 'Please wait {{count}} seconds, then try again.',
      minutes_one: 'Please wait {{count}} minute, then try again.',
      minutes_other: 'Please wait {{count}} minutes, then try again.',
      unknown: 'Please wait a few minutes, then try again.',
    },
  },
  conditions: {
    'not-permitted-now': 'Your account may not sign in at this time of day.',
    'not-permitted-here': 'Your account may not sign in at this station.',
    'password-expired': 'Your password has expired.',
    'account-disabled': 'Your account is disabled.',
    'account-expired': 'Your account has expired.',
    'password-must-change': 'You must change your password first.',
    'account-locked': 'Your account is locked.',
  },
  inputProblems: {
    'username-empty': 'Please enter your username.',
    'username-too-long':
      'That username is too long. Please check that only your username is in the Username field.',
    'username-control-characters': 'That username contains characters that are not allowed.',
    'password-empty': 'Please enter your password.',
    'password-too-long':
      'That password is too long. Please check that only your password is in the Password field.',
  },
  resetNotices: {
    finished: 'The previous session has ended.',
    cancelled: 'The previous session was cancelled.',
    idle: 'The previous session ended because nobody was using the station.',
    'visit-cap': 'The previous session reached its time limit and has ended.',
    done: 'The previous session has ended.',
    failed: 'The previous session has ended.',
    admin: 'The station was reset by an administrator.',
    'renderer-crash': 'The station restarted after a problem. Please sign in again.',
  },
  checking: {
    heading: 'Checking your details…',
    detail: 'This usually takes a few seconds.',
  },
  duo: {
    heading: 'Manage your devices',
    frameTitle: 'Duo device management',
    signedInAs: 'Signed in as {{name}}',
    done: "I'm done",
    timeLeft: 'Time left: {{time}}',
    openDuo: 'Continue to Duo',
    redirectHint: 'Duo opens in this window. If it did not, continue below.',
    viewHint: 'Duo is shown below. When you have finished, choose "I\'m done".',
    frameUnavailable: 'Duo cannot be shown right now. Please see the helpdesk.',
  },
  done: {
    heading: 'All done',
    thanks: 'Thank you, {{name}}. Your Duo devices are up to date.',
    thanksAnonymous: 'Thank you. Your Duo devices are up to date.',
    walkAway: 'You can walk away now. This station will be ready for the next person in a moment.',
  },
  failed: {
    heading: "We couldn't confirm your Duo session",
    helpdesk: 'Please try again, or see the helpdesk and give them the reference below.',
    reasons: {
      'no-visit': 'Your session had already ended.',
      malformed: 'Duo sent an answer we did not understand.',
      rejected: 'Duo’s answer could not be verified.',
      replayed: 'This Duo answer was already used.',
      'duo-error': 'Duo reported a problem.',
    },
  },
  outOfService: {
    heading: 'This station is out of service',
    helpdesk: 'Please see the helpdesk.',
    reasons: {
      'configuration-invalid': 'The station is not set up correctly.',
      'setup-required': 'This station is not set up yet. An administrator can set it up here.',
      'waiting-for-configuration': 'The station is waiting for its configuration.',
      'directory-unreachable': 'The station cannot reach the sign-in service.',
      'duo-unreachable': 'The station cannot reach Duo.',
      'duo-credentials-rejected': 'Duo does not accept this station’s settings.',
      'secrets-unavailable': 'The station cannot read its protected settings.',
      'audit-unavailable': 'The station cannot write its record of visits.',
      starting: 'The station is still starting.',
      unavailable: 'The screen has lost contact with the station. It keeps trying to reconnect.',
    },
  },
  idleWarning: {
    heading: 'Are you still there?',
    countdown_one: 'This station will reset in {{count}} second.',
    countdown_other: 'This station will reset in {{count}} seconds.',
    formCountdown_one: 'What you typed will be cleared in {{count}} second.',
    formCountdown_other: 'What you typed will be cleared in {{count}} seconds.',
    stillHere: "I'm still here",
  },
  capWarning: {
    heading: 'Your visit is about to end',
    countdown_one: 'Each visit has a time limit. This one ends in {{count}} second and cannot be extended.',
    countdown_other:
      'Each visit has a time limit. This one ends in {{count}} seconds and cannot be extended.',
    finishNow: 'Finish now',
    useTimeLeft: 'Use the time left',
  },
  demo: {
    heading: 'Demo accounts',
    intro: 'This station runs in demo mode. Sign in with one of these accounts:',
    username: 'Username',
    password: 'Password',
  },
};

/** The shape every language must provide: the English keys, with string values. */
export type Messages = typeof en;
