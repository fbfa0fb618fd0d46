import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { WalkupApi } from '../main/contract';
import { AdminOverlay } from './admin/admin-overlay';
import { useAdmin } from './admin/use-admin';
import { IdleWarningDialog } from './components/idle-warning-dialog';
import { StationHeader, useAccentColor } from './components/station-header';
import { applyStationLocale, defaultLocale, languageOf } from './i18n';
import { Checking } from './screens/checking';
import { Done } from './screens/done';
import { DuoPortal } from './screens/duo-portal';
import { Failed } from './screens/failed';
import { OutOfService } from './screens/out-of-service';
import { SignIn } from './screens/sign-in';
import { Starting } from './screens/starting';
import { Welcome } from './screens/welcome';
import {
  selectDuoDeadline,
  selectDuoSession,
  selectIdleBound,
  selectIdleWarning,
  selectScreen,
  type Screen,
} from './state/app-state';
import { keepLanguageForRedirect } from './state/language-across-redirect';
import { useActivityReporter } from './state/use-activity-reporter';
import { useIdleBound } from './state/use-idle-bound';
import { useWalkupApp, type AppEnvironment } from './state/use-walkup-app';

/** Props of {@link App}. */
export interface AppProps {
  api: WalkupApi;
  environment?: AppEnvironment;
}

/** Screens on which a person is at work: input there counts as activity, and idle warnings show. */
const attendedScreens: readonly Screen[] = ['sign-in', 'checking', 'duo'];

/** Input on a screen without a visit is not reported to main. */
const noActivityReport = (): void => undefined;

/** The whole renderer: one screen at a time, chosen from what main reports. */
export function App({ api, environment }: AppProps) {
  const { i18n } = useTranslation();
  const [state, commands] = useWalkupApp(api, environment);
  const screen = selectScreen(state);
  const { station } = state;
  // The admin overlay's state is its own; while it is open the visit UI is hidden and inert.
  const setupRequired = station?.outOfService?.reason === 'setup-required';
  const [adminState, adminCommands, adminSession] = useAdmin(api, setupRequired, {
    visitInProgress: screen === 'checking' || screen === 'duo',
  });
  const adminOpen = adminState.view.kind !== 'closed';
  const attended = attendedScreens.includes(screen) && !adminOpen;

  // On the welcome, input (reading, scrolling, a language pick) only extends the welcome's own
  // bound, so a person's pick is not taken back while they read; main holds no visit to tell.
  const onWelcome = screen === 'welcome' && !adminOpen;
  useActivityReporter(
    attended || onWelcome,
    attended ? commands.reportActivity : noActivityReport,
    commands.noteInput,
  );
  // Every screen that holds something of a person has a bound; its timers run here.
  const now = useIdleBound(selectIdleBound(state), commands.boundReached);

  // The person's pick while their visit lasts; every reset returns to the default language: the
  // browser's own in portal mode (where Walkup supports one), else the station's.
  const homeLocale = station ? defaultLocale(station.locale, environment?.browserLanguages) : undefined;
  const locale = state.language ?? homeLocale;
  useEffect(() => {
    if (locale) applyStationLocale(i18n, locale);
  }, [i18n, locale]);
  const language = languageOf(locale ?? 'en');

  const stationName = station?.name;
  useEffect(() => {
    if (stationName) document.title = stationName;
  }, [stationName]);
  useAccentColor(station?.branding.accentColor);
  const helpdesk = station?.branding.helpdesk;

  // "Continue to Duo" (a page back from Duo's v4 redirect) leaves this page too: the page that
  // comes back keeps the person's pick, as after sign-in (language-across-redirect.ts).
  const environmentNavigate = environment?.navigate;
  const personLanguage = state.language;
  const continueToDuo = useCallback(
    (url: string) => {
      keepLanguageForRedirect(personLanguage);
      (environmentNavigate ?? ((target: string) => window.location.assign(target)))(url);
    },
    [environmentNavigate, personLanguage],
  );

  const warning = attended ? selectIdleWarning(state, now) : undefined;
  const session = selectDuoSession(state);

  const renderScreen = () => {
    switch (screen) {
      case 'starting':
        return <Starting />;
      case 'unavailable':
        return <OutOfService reason="unavailable" helpdesk={helpdesk} />;
      case 'out-of-service':
        return <OutOfService reason={station?.outOfService?.reason} helpdesk={helpdesk} />;
      case 'checking':
        return <Checking />;
      case 'welcome':
        return (
          <Welcome
            key={state.formGeneration}
            welcomeText={
              // Written in the station's language: shown only while the screens speak it.
              station && language === languageOf(station.locale) ? station.branding.welcomeText : undefined
            }
            helpdesk={helpdesk}
            resetNotice={state.resetNotice}
            language={language}
            onPickLanguage={commands.pickLanguage}
            onStart={commands.start}
          />
        );
      case 'sign-in':
        return station ? (
          <SignIn
            key={state.formGeneration}
            station={station}
            values={state.form}
            failure={state.failure}
            resetNotice={state.resetNotice}
            passwordShown={state.passwordShown}
            onChange={commands.changeField}
            onTogglePassword={commands.togglePasswordVisibility}
            onSubmit={commands.signIn}
            language={language}
            onPickLanguage={commands.pickLanguage}
          />
        ) : null;
      case 'duo':
        return session ? (
          <DuoPortal
            session={session}
            deadline={selectDuoDeadline(state)}
            onDuoResponse={commands.submitDuoResponse}
            onDone={commands.finish}
            navigate={continueToDuo}
            shownByMain={environment?.duoShownByMain ?? false}
          />
        ) : null;
      case 'done':
        return (
          <Done
            displayName={state.visit.phase === 'done' ? state.visit.displayName : undefined}
            deadline={selectIdleBound(state)?.deadline}
          />
        );
      case 'failed':
        return state.visit.phase === 'failed' ? (
          <Failed
            reason={state.visit.reason}
            reference={state.visit.reference}
            onTryAgain={commands.tryAgain}
            helpdesk={helpdesk}
          />
        ) : null;
    }
  };

  return (
    <>
      <div
        className={`app app-${screen}`}
        inert={warning || adminOpen ? true : undefined}
        hidden={adminOpen ? true : undefined}
      >
        {screen !== 'duo' && station ? (
          <StationHeader name={station.name} branding={station.branding} />
        ) : null}
        <main className="app-main">{renderScreen()}</main>
      </div>
      {adminOpen ? <AdminOverlay state={adminState} commands={adminCommands} session={adminSession} /> : null}
      {warning ? (
        <IdleWarningDialog
          key={`${warning.ending} ${warning.deadline}`}
          deadline={warning.deadline}
          ending={warning.ending}
          subject={screen === 'duo' ? 'visit' : 'form'}
          onStillHere={commands.stillHere}
          onFinishNow={commands.finish}
          onDismiss={commands.dismissCapWarning}
        />
      ) : null}
    </>
  );
}
