import type { Messages } from './en';

/**
 * French, addressing the person as "vous", with the no-break spaces of French typography before
 * colons, question marks and inside guillemets. Typed as `Messages`, so a missing or extra key is
 * a compile error; test/unit/renderer/i18n.test.tsx also checks the placeholders and plural forms
 * (in French, 0 and 1 take the singular).
 */
export const fr: Messages = {
  app: {
    starting: 'Démarrage…',
    startingDetail: 'La station se prépare. Cela prend un instant.',
  },
  signIn: {
    heading: 'Connectez-vous pour gérer vos appareils Duo',
    intro:
      'Connectez-vous avec votre nom d’utilisateur et votre mot de passe professionnels habituels. Vous pourrez ensuite ajouter, remplacer ou supprimer les téléphones et les clés que vous utilisez avec Duo.',
    username: 'Nom d’utilisateur',
    password: 'Mot de passe',
    showPassword: 'Afficher le mot de passe',
    hidePassword: 'Masquer le mot de passe',
    capsLock: 'Le verrouillage des majuscules est activé.',
    lastTry:
      'C’est votre dernier essai pour l’instant : après un autre mot de passe erroné, la connexion pour ce nom d’utilisateur sera suspendue pendant un moment. Si vous n’êtes pas sûr de votre mot de passe, veuillez vous adresser au service d’assistance.',
    noTriesLeft:
      'La connexion pour ce nom d’utilisateur est maintenant suspendue pendant un moment. Si vous n’êtes pas sûr de votre mot de passe, veuillez vous adresser au service d’assistance.',
    submit: 'Se connecter',
    reference: 'Référence pour le support : {{reference}}',
    errors: {
      'invalid-credentials':
        'Échec de la connexion : le nom d’utilisateur ou le mot de passe est incorrect. Veuillez réessayer.',
      'invalid-input': 'Veuillez vérifier votre nom d’utilisateur et votre mot de passe, puis réessayer.',
      throttled: 'Trop de tentatives de connexion.',
      'station-paused': 'Les connexions sur cette station sont suspendues pour un court moment.',
      'not-allowed':
        'Votre compte ne permet pas de gérer des appareils Duo sur cette station. Veuillez vous adresser au service d’assistance.',
      'see-helpdesk':
        'Votre compte doit être vérifié avant que vous puissiez continuer. Veuillez vous adresser au service d’assistance.',
      'directory-unavailable':
        'Le service de connexion est injoignable pour le moment. Veuillez réessayer dans quelques minutes ou vous adresser au service d’assistance.',
      'duo-unavailable':
        'Duo est injoignable pour le moment. Veuillez réessayer plus tard ou vous adresser au service d’assistance.',
      'out-of-service': 'Cette station est hors service. Veuillez vous adresser au service d’assistance.',
    },
    notices: {
      'checking-timeout': 'La vérification a pris trop de temps et a été arrêtée. Veuillez vous reconnecter.',
      'session-renewed':
        'La station a ouvert une nouvelle session. Veuillez choisir « Se connecter » encore une fois.',
    },
    throttledWait: {
      seconds_one: 'Veuillez patienter {{count}} seconde, puis réessayer.',
      seconds_other: 'Veuillez patienter {{count}} secondes, puis réessayer.',
      minutes_one: 'Veuillez patienter {{count}} minute, puis réessayer.',
      minutes_other: 'Veuillez patienter {{count}} minutes, puis réessayer.',
      unknown: 'Veuillez patienter quelques minutes, puis réessayer.',
    },
  },
  keyboard: {
    label: 'Clavier à l’écran',
    show: 'Afficher le clavier',
    hide: 'Masquer le clavier',
    backspace: 'Retour arrière',
    shift: 'Majuscule',
    capsLock: 'Verrouillage majuscules',
    space: 'Espace',
    enter: 'Entrée',
    symbols: 'Symboles',
    letters: 'Lettres',
    accents: 'Lettres accentuées',
  },
  conditions: {
    'not-permitted-now': 'Votre compte n’est pas autorisé à se connecter à cette heure de la journée.',
    'not-permitted-here': 'Votre compte n’est pas autorisé à se connecter sur cette station.',
    'password-expired': 'Votre mot de passe a expiré.',
    'account-disabled': 'Votre compte est désactivé.',
    'account-expired': 'Votre compte a expiré.',
    'password-must-change': 'Vous devez d’abord changer votre mot de passe.',
    'account-locked': 'Votre compte est verrouillé.',
  },
  inputProblems: {
    'username-empty': 'Veuillez saisir votre nom d’utilisateur.',
    'username-too-long':
      'Ce nom d’utilisateur est trop long. Veuillez vérifier que le champ « Nom d’utilisateur » ne contient que votre nom d’utilisateur.',
    'username-control-characters': 'Ce nom d’utilisateur contient des caractères non autorisés.',
    'password-empty': 'Veuillez saisir votre mot de passe.',
    'password-too-long':
      'Ce mot de passe est trop long. Veuillez vérifier que le champ « Mot de passe » ne contient que votre mot de passe.',
  },
  resetNotices: {
    finished: 'La session précédente est terminée.',
    cancelled: 'La session précédente a été annulée.',
    idle: 'La session précédente s’est terminée, car personne n’utilisait la station.',
    'visit-cap': 'La session précédente a atteint sa durée maximale et s’est terminée.',
    done: 'La session précédente est terminée.',
    failed: 'La session précédente est terminée.',
    admin: 'La station a été réinitialisée par un administrateur ou une administratrice.',
    'renderer-crash': 'La station a redémarré après un problème. Veuillez vous reconnecter.',
  },
  checking: {
    heading: 'Vérification de vos informations…',
    detail: 'Cela ne prend généralement que quelques secondes.',
  },
  duo: {
    heading: 'Gérez vos appareils',
    frameTitle: 'Gestion des appareils Duo',
    signedInAs: 'Session de {{name}}',
    done: 'J’ai terminé',
    timeLeft: 'Temps restant : {{time}}',
    openDuo: 'Continuer vers Duo',
    redirectHint: 'Duo s’ouvre dans cette fenêtre. Si ce n’est pas le cas, continuez ci-dessous.',
    viewHint: 'Duo s’affiche ci-dessous. Quand vous avez terminé, choisissez « J’ai terminé ».',
    frameUnavailable:
      'Duo ne peut pas être affiché pour le moment. Veuillez vous adresser au service d’assistance.',
    canDo: {
      heading: 'Ce que vous pouvez faire ici',
      add: 'Ajouter un nouveau téléphone, une tablette ou une clé de sécurité.',
      replace: 'Remplacer un téléphone changé ou perdu.',
      remove: 'Retirer un appareil que vous n’utilisez plus.',
      finish: 'Lorsque vous avez terminé, choisissez « J’ai terminé ».',
    },
  },
  progress: {
    label: 'Votre progression',
    signIn: 'Se connecter',
    devices: 'Gérer vos appareils',
    done: 'Terminé',
  },
  done: {
    heading: 'C’est terminé',
    thanks: 'Merci, {{name}}. Vos appareils Duo sont à jour.',
    thanksAnonymous: 'Merci. Vos appareils Duo sont à jour.',
    walkAway: 'Vous pouvez partir.',
    countdown_one: 'Cette station sera prête pour la personne suivante dans {{count}} seconde.',
    countdown_other: 'Cette station sera prête pour la personne suivante dans {{count}} secondes.',
  },
  failed: {
    heading: 'Nous n’avons pas pu confirmer votre session Duo',
    cancelledHeading: 'Vous avez annulé Duo',
    helpdesk:
      'Si cela se reproduit, adressez-vous au service d’assistance en indiquant la référence ci-dessous.',
    tryAgain: 'Réessayer',
    reasons: {
      'no-visit': 'Votre session était déjà terminée. Choisissez « Réessayer » pour vous reconnecter.',
      malformed: 'Duo a envoyé une réponse que nous n’avons pas comprise. Veuillez réessayer.',
      rejected: 'La réponse de Duo n’a pas pu être vérifiée. Veuillez réessayer.',
      replayed:
        'Cette réponse de Duo avait déjà été utilisée. Choisissez « Réessayer » pour vous reconnecter.',
      'duo-error': 'Duo a signalé une erreur avant la confirmation de vos appareils. Veuillez réessayer.',
      cancelled:
        'Duo a été annulé avant la confirmation de vos appareils : rien n’a été modifié. Vous pouvez réessayer quand vous le souhaitez.',
      'duo-unavailable':
        'Duo a cessé de répondre avant la confirmation de vos appareils. Veuillez réessayer dans quelques minutes.',
    },
  },
  helpdeskContact: {
    label: 'Assistance :',
    fallback: 'Besoin d’aide ? Adressez-vous au service d’assistance informatique.',
  },
  welcome: {
    heading: 'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
    text: 'Ici, vous pouvez ajouter un nouveau téléphone ou une nouvelle clé de sécurité à votre compte Duo, remplacer un appareil perdu ou changé, ou retirer celui que vous n’utilisez plus.',
    duration:
      'Cela prend quelques minutes. Vous aurez besoin de votre nom d’utilisateur et de votre mot de passe professionnels habituels.',
    start: 'Commencer',
  },
  languagePicker: { label: 'Langue' },
  outOfService: {
    heading: 'Cette station est hors service',
    helpdesk: 'Veuillez vous adresser au service d’assistance.',
    reasons: {
      'configuration-invalid': 'La station n’est pas correctement configurée.',
      'setup-required':
        'Cette station n’est pas encore configurée. Un administrateur ou une administratrice peut la configurer ici.',
      'waiting-for-configuration': 'La station attend sa configuration.',
      'directory-unreachable': 'La station ne parvient pas à joindre le service de connexion.',
      'duo-unreachable': 'La station ne parvient pas à joindre Duo.',
      'duo-credentials-rejected': 'Duo n’accepte pas les paramètres de cette station.',
      'secrets-unavailable': 'La station ne parvient pas à lire ses paramètres protégés.',
      'audit-unavailable': 'La station ne parvient pas à écrire son journal des visites.',
      starting: 'La station est encore en cours de démarrage.',
      unavailable: 'L’écran a perdu le contact avec la station. Il continue d’essayer de se reconnecter.',
    },
  },
  idleWarning: {
    heading: 'Êtes-vous toujours là ?',
    countdown_one: 'Cette station sera réinitialisée dans {{count}} seconde.',
    countdown_other: 'Cette station sera réinitialisée dans {{count}} secondes.',
    formCountdown_one: 'Ce que vous avez saisi sera effacé dans {{count}} seconde.',
    formCountdown_other: 'Ce que vous avez saisi sera effacé dans {{count}} secondes.',
    stillHere: 'Je suis toujours là',
  },
  capWarning: {
    heading: 'Votre visite va bientôt se terminer',
    countdown_one:
      'Chaque visite a une durée maximale. Celle-ci se termine dans {{count}} seconde et ne peut pas être prolongée.',
    countdown_other:
      'Chaque visite a une durée maximale. Celle-ci se termine dans {{count}} secondes et ne peut pas être prolongée.',
    finishNow: 'Terminer maintenant',
    useTimeLeft: 'Utiliser le temps restant',
  },
  demo: {
    heading: 'Comptes de démonstration',
    intro: 'Cette station fonctionne en mode démonstration. Connectez-vous avec l’un de ces comptes :',
    username: 'Nom d’utilisateur',
    password: 'Mot de passe',
  },
  admin: {
    notices: {
      'session-idle':
        'La session d’administration s’est terminée, car elle n’a pas été utilisée pendant un moment. Saisissez de nouveau le code PIN.',
      unreachable: 'La station n’a pas répondu. Veuillez réessayer.',
    },
    pin: {
      heading: 'Code PIN administrateur',
      label: 'Code PIN',
      keypad: 'Pavé numérique',
      backspace: 'Effacer le dernier chiffre',
      submit: 'Déverrouiller',
      cancel: 'Annuler',
      opening: 'Ouverture de l’écran d’administration…',
      attemptsLeft_one: 'Il reste {{count}} tentative avant le verrouillage du pavé.',
      attemptsLeft_other: 'Il reste {{count}} tentatives avant le verrouillage du pavé.',
      locked_one: 'Trop de codes PIN erronés. Réessayez dans {{count}} seconde.',
      locked_other: 'Trop de codes PIN erronés. Réessayez dans {{count}} secondes.',
      lockedOver: 'Trop de codes PIN erronés. Vous pouvez réessayer maintenant.',
      tryAgain: 'Réessayer',
      unavailable: {
        'no-pin':
          'Aucun code PIN administrateur n’est défini sur cette station. Le service informatique le fournit sous forme du secret admin.pinHash (créé avec walkup hash-pin) : voir « PIN administrateur » dans le guide de déploiement.',
        'secret-store-unavailable':
          'La station ne parvient pas à lire ses paramètres protégés ; l’écran d’administration ne peut donc pas s’ouvrir. Consultez le journal de la station.',
      },
      failures: {
        'wrong-pin': 'Ce code PIN est incorrect.',
        locked: 'Trop de codes PIN erronés.',
        'pin-format': 'Un code PIN comporte de 6 à 16 chiffres.',
        busy: 'Trop de tentatives à la fois. Patientez un instant, puis saisissez à nouveau le code PIN.',
        'not-first-run': 'Un code PIN a déjà été défini sur cette station.',
        unavailable: 'L’écran d’administration ne peut pas s’ouvrir pour le moment.',
      },
    },
    screen: {
      heading: 'Administration de la station',
      loading: 'Chargement…',
    },
    status: {
      heading: 'État',
      inService: 'En service',
      outOfService: 'Hors service : {{reason}}',
      detail: 'Détail : {{detail}}',
      warnings: 'Avertissements',
      version: 'Version {{version}}, build {{build}}',
      secretStore: 'Coffre des secrets : {{backend}} ({{protection}})',
      secure: 'protégé par le système d’exploitation',
      insecure: 'non protégé par le système d’exploitation',
      policySources: 'Sources de la stratégie',
      noPolicy: 'Aucune stratégie gérée n’est déployée.',
      settingsProblems: 'Problèmes dans les paramètres locaux',
      checksHeading: 'Vérifications',
      runChecks: 'Relancer les vérifications',
    },
    check: {
      running: 'Vérification…',
      directory: 'Annuaire ({{type}})',
      server: 'Serveur {{url}}',
      reachable: 'Joignable : {{value}}',
      tls: 'TLS : {{value}}',
      serviceBind: 'Connexion du compte de service : {{value}}',
      insecure: 'LDAP simple : non chiffré',
      latency: 'Temps de réponse : {{ms}} ms',
      error: 'Erreur : {{error}}',
      duo: 'Duo ({{sdk}}, {{host}})',
      duoReachable: 'Joignable : {{value}}',
      duoCredentials: 'Identifiants acceptés : {{value}}',
      skew: 'Écart d’horloge : {{seconds}} s',
      yes: 'Oui',
      no: 'Non',
      problems: 'Problèmes',
      passed: 'Toutes les vérifications ont réussi.',
      failed: 'Certaines vérifications ont échoué.',
    },
    settings: {
      heading: 'Paramètres',
      sources: {
        policy: 'Source : stratégie',
        local: 'Source : locale',
        default: 'Source : valeur par défaut',
      },
      setByPolicy: 'Défini par la stratégie',
      policyOnly: 'Sur une station gérée, seule la stratégie gérée peut modifier ce paramètre',
      listHint: 'Un par ligne',
      notSet: '(non défini)',
      save: 'Enregistrer les paramètres',
      noChanges: 'Rien n’a changé.',
      saved: 'Enregistré. Redémarrez la station pour appliquer les modifications.',
      savedNoRestart: 'Enregistré.',
      refused: {
        invalid: 'Certaines valeurs n’ont pas été acceptées. Consultez les messages à côté de chacune.',
        locked: 'Certaines valeurs sont définies par la stratégie et ne peuvent pas être modifiées ici.',
        'widens-trust':
          'Sur cette station, certaines valeurs ne peuvent être définies que par la stratégie gérée.',
        'write-failed': 'Les paramètres n’ont pas pu être écrits. Rien n’a été modifié.',
      },
    },
    secrets: {
      heading: 'Secrets',
      intro: 'Les secrets ne sont jamais affichés. Vous pouvez les remplacer.',
      set: 'Défini',
      notSet: 'Non défini',
      newValue: 'Nouvelle valeur pour {{key}}',
      replace: 'Remplacer',
      replaceNamed: 'Remplacer {{key}}',
      replaced: 'Remplacé. Redémarrez la station pour l’appliquer.',
    },
    audit: {
      heading: 'Événements récents',
      time: 'Heure',
      type: 'Événement',
      details: 'Détails',
      empty: 'Aucun événement pour l’instant.',
    },
    tools: {
      heading: 'Outils',
      testSignIn: 'Tester une connexion à l’annuaire',
      username: 'Nom d’utilisateur',
      password: 'Mot de passe',
      runTestSignIn: 'Tester la connexion',
      result: 'Résultat : {{result}}',
      resultNamed: 'Résultat : {{result}} ({{name}})',
      duoCheck: 'Vérification de Duo',
      runDuoCheck: 'Vérifier Duo',
      changePin: 'Changer le code PIN',
      newPin: 'Nouveau code PIN',
      confirmPin: 'Confirmer le nouveau code PIN',
      pinMismatch: 'Les deux codes PIN ne sont pas identiques.',
      pinChanged: 'Le code PIN a été changé.',
      station: 'Station',
      restart: 'Redémarrer la station',
      exit: 'Quitter le kiosque',
      lock: 'Verrouiller',
    },
  },
  setup: {
    heading: 'Configurer cette station',
    progress: 'Étapes de la configuration',
    stepOf: 'Étape {{step}} sur {{count}}',
    steps: {
      pin: 'Code PIN administrateur',
      duo: 'Duo',
      directory: 'Annuaire',
      test: 'Test',
      save: 'Enregistrement',
    },
    next: 'Suivant',
    back: 'Retour',
    lock: 'Verrouiller',
    required: 'Veuillez remplir : {{field}}.',
    pin: {
      intro:
        'Choisissez le code PIN qui ouvre l’écran d’administration de cette station : de 6 à 16 chiffres.',
      pin: 'Nouveau code PIN',
      confirm: 'Confirmer le code PIN',
      mismatch: 'Les deux codes PIN ne sont pas identiques.',
      create: 'Créer le code PIN',
    },
    duo: {
      intro:
        'Saisissez les paramètres de l’application Duo de cette station (Duo Admin Panel, Applications).',
      sdk: 'Duo Web SDK',
      v4: 'Web SDK v4 (Universal Prompt, recommandé)',
      v2: 'Web SDK v2 (invite traditionnelle)',
      apiHost: 'Nom d’hôte de l’API',
      clientId: 'ID client',
      clientSecret: 'Secret client',
      ikey: 'Clé d’intégration',
      skey: 'Clé secrète',
      akeyNote: 'Walkup génère la clé d’application lors de l’enregistrement.',
    },
    directory: {
      intro: 'Indiquez comment cette station trouve les personnes dans votre annuaire.',
      type: 'Type d’annuaire',
      ad: 'Active Directory',
      openldap: 'OpenLDAP',
      servers: 'URL des serveurs, une par ligne',
      serversHint: 'Par exemple ldaps://dc1.example.com:636',
      baseDN: 'DN de base',
      bindDN: 'DN du compte de service',
      bindPassword: 'Mot de passe du compte de service',
      startTLS: 'Utiliser StartTLS pour les URL ldap://',
    },
    test: {
      intro: 'Testez l’annuaire et Duo avec ces paramètres avant de les enregistrer.',
      run: 'Lancer les vérifications',
    },
    save: {
      intro: 'Enregistrez la configuration. La station commence à accepter des visites après un redémarrage.',
      save: 'Enregistrer la configuration',
      saved: 'Enregistré. Redémarrez la station pour qu’elle commence à accepter des visites.',
      restart: 'Redémarrer la station',
      general: 'Configuration',
    },
  },
};
