import type { Messages } from './en';

/** German. Typed as `Messages`, so a missing or extra key is a compile error. */
export const de: Messages = {
  app: {
    starting: 'Wird gestartet…',
    startingDetail: 'Die Station wird vorbereitet. Das dauert einen Moment.',
  },
  signIn: {
    heading: 'Melden Sie sich an, um Ihre Duo-Geräte zu verwalten',
    intro:
      'Melden Sie sich mit Ihrem üblichen Benutzernamen und Passwort an. Danach können Sie die Telefone und Schlüssel, die Sie mit Duo verwenden, hinzufügen, ersetzen oder entfernen.',
    username: 'Benutzername',
    password: 'Passwort',
    showPassword: 'Passwort anzeigen',
    submit: 'Anmelden',
    reference: 'Support-Referenz: {{reference}}',
    errors: {
      'invalid-credentials':
        'Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch. Bitte versuchen Sie es erneut.',
      'invalid-input': 'Bitte prüfen Sie Benutzername und Passwort und versuchen Sie es erneut.',
      throttled: 'Zu viele Anmeldeversuche.',
      'station-paused': 'Diese Station nimmt kurz keine Anmeldungen an. Das liegt nicht an Ihnen.',
      'not-allowed':
        'Mit Ihrem Konto können an dieser Station keine Duo-Geräte verwaltet werden. Bitte wenden Sie sich an den Helpdesk.',
      'see-helpdesk':
        'Ihr Konto muss geprüft werden, bevor Sie fortfahren können. Bitte wenden Sie sich an den Helpdesk.',
      'directory-unavailable':
        'Der Anmeldedienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut oder wenden Sie sich an den Helpdesk.',
      'duo-unavailable':
        'Duo ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Helpdesk.',
      'out-of-service': 'Diese Station ist außer Betrieb. Bitte wenden Sie sich an den Helpdesk.',
    },
    notices: {
      'checking-timeout':
        'Die Prüfung hat zu lange gedauert und wurde abgebrochen. Bitte melden Sie sich erneut an.',
      'session-renewed':
        'Die Station hat eine neue Sitzung begonnen. Bitte wählen Sie noch einmal „Anmelden“.',
    },
    throttledWait: {
      seconds_one: 'Bitte warten Sie {{count}} Sekunde und versuchen Sie es dann erneut.',
      seconds_other: 'Bitte warten Sie {{count}} Sekunden und versuchen Sie es dann erneut.',
      minutes_one: 'Bitte warten Sie {{count}} Minute und versuchen Sie es dann erneut.',
      minutes_other: 'Bitte warten Sie {{count}} Minuten und versuchen Sie es dann erneut.',
      unknown: 'Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
    },
  },
  conditions: {
    'not-permitted-now': 'Ihr Konto darf sich zu dieser Tageszeit nicht anmelden.',
    'not-permitted-here': 'Ihr Konto darf sich an dieser Station nicht anmelden.',
    'password-expired': 'Ihr Passwort ist abgelaufen.',
    'account-disabled': 'Ihr Konto ist deaktiviert.',
    'account-expired': 'Ihr Konto ist abgelaufen.',
    'password-must-change': 'Sie müssen zuerst Ihr Passwort ändern.',
    'account-locked': 'Ihr Konto ist gesperrt.',
  },
  inputProblems: {
    'username-empty': 'Bitte geben Sie Ihren Benutzernamen ein.',
    'username-too-long':
      'Dieser Benutzername ist zu lang. Bitte prüfen Sie, dass im Feld „Benutzername“ nur Ihr Benutzername steht.',
    'username-control-characters': 'Dieser Benutzername enthält nicht erlaubte Zeichen.',
    'password-empty': 'Bitte geben Sie Ihr Passwort ein.',
    'password-too-long':
      'Dieses Passwort ist zu lang. Bitte prüfen Sie, dass im Feld „Passwort“ nur Ihr Passwort steht.',
  },
  resetNotices: {
    finished: 'Die vorherige Sitzung wurde beendet.',
    cancelled: 'Die vorherige Sitzung wurde abgebrochen.',
    idle: 'Die vorherige Sitzung wurde beendet, weil die Station nicht benutzt wurde.',
    'visit-cap': 'Die vorherige Sitzung hat ihr Zeitlimit erreicht und wurde beendet.',
    done: 'Die vorherige Sitzung wurde beendet.',
    failed: 'Die vorherige Sitzung wurde beendet.',
    admin: 'Die Station wurde von einer Administratorin oder einem Administrator zurückgesetzt.',
    'renderer-crash': 'Die Station wurde nach einem Problem neu gestartet. Bitte melden Sie sich erneut an.',
  },
  checking: {
    heading: 'Ihre Angaben werden geprüft…',
    detail: 'Das dauert meist nur wenige Sekunden.',
  },
  duo: {
    heading: 'Geräte verwalten',
    frameTitle: 'Duo-Geräteverwaltung',
    signedInAs: 'Angemeldet als {{name}}',
    done: 'Ich bin fertig',
    timeLeft: 'Verbleibende Zeit: {{time}}',
    openDuo: 'Weiter zu Duo',
    redirectHint: 'Duo öffnet sich in diesem Fenster. Falls nicht, fahren Sie hier fort.',
    viewHint: 'Duo wird unten angezeigt. Wenn Sie fertig sind, wählen Sie „Ich bin fertig“.',
    frameUnavailable: 'Duo kann gerade nicht angezeigt werden. Bitte wenden Sie sich an den Helpdesk.',
  },
  done: {
    heading: 'Alles erledigt',
    thanks: 'Vielen Dank, {{name}}. Ihre Duo-Geräte sind auf dem neuesten Stand.',
    thanksAnonymous: 'Vielen Dank. Ihre Duo-Geräte sind auf dem neuesten Stand.',
    walkAway: 'Sie können jetzt gehen. Die Station ist gleich für die nächste Person bereit.',
  },
  failed: {
    heading: 'Wir konnten Ihre Duo-Sitzung nicht bestätigen',
    helpdesk:
      'Bitte versuchen Sie es erneut oder wenden Sie sich mit der unten stehenden Referenz an den Helpdesk.',
    reasons: {
      'no-visit': 'Ihre Sitzung war bereits beendet.',
      malformed: 'Duo hat eine unverständliche Antwort gesendet.',
      rejected: 'Die Antwort von Duo konnte nicht geprüft werden.',
      replayed: 'Diese Antwort von Duo wurde bereits verwendet.',
      'duo-error': 'Duo hat ein Problem gemeldet.',
    },
  },
  outOfService: {
    heading: 'Diese Station ist außer Betrieb',
    helpdesk: 'Bitte wenden Sie sich an den Helpdesk.',
    reasons: {
      'configuration-invalid': 'Die Station ist nicht richtig eingerichtet.',
      'setup-required':
        'Diese Station ist noch nicht eingerichtet. Eine Administratorin oder ein Administrator kann sie hier einrichten.',
      'waiting-for-configuration': 'Die Station wartet auf ihre Konfiguration.',
      'directory-unreachable': 'Die Station erreicht den Anmeldedienst nicht.',
      'duo-unreachable': 'Die Station erreicht Duo nicht.',
      'duo-credentials-rejected': 'Duo akzeptiert die Einstellungen dieser Station nicht.',
      'secrets-unavailable': 'Die Station kann ihre geschützten Einstellungen nicht lesen.',
      'audit-unavailable': 'Die Station kann ihr Besuchsprotokoll nicht schreiben.',
      starting: 'Die Station wird noch gestartet.',
      unavailable: 'Die Anzeige hat die Verbindung zur Station verloren. Sie versucht es weiter.',
    },
  },
  idleWarning: {
    heading: 'Sind Sie noch da?',
    countdown_one: 'Diese Station wird in {{count}} Sekunde zurückgesetzt.',
    countdown_other: 'Diese Station wird in {{count}} Sekunden zurückgesetzt.',
    formCountdown_one: 'Ihre Eingaben werden in {{count}} Sekunde gelöscht.',
    formCountdown_other: 'Ihre Eingaben werden in {{count}} Sekunden gelöscht.',
    stillHere: 'Ich bin noch da',
  },
  capWarning: {
    heading: 'Ihr Besuch endet gleich',
    countdown_one:
      'Jeder Besuch hat ein Zeitlimit. Dieser endet in {{count}} Sekunde und kann nicht verlängert werden.',
    countdown_other:
      'Jeder Besuch hat ein Zeitlimit. Dieser endet in {{count}} Sekunden und kann nicht verlängert werden.',
    finishNow: 'Jetzt beenden',
    useTimeLeft: 'Restzeit nutzen',
  },
  demo: {
    heading: 'Demo-Konten',
    intro: 'Diese Station läuft im Demo-Modus. Melden Sie sich mit einem dieser Konten an:',
    username: 'Benutzername',
    password: 'Passwort',
  },
};
