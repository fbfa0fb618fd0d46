import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';
import { AdminScreen } from './admin-screen';
import type { AdminState } from './admin-state';
import { PinPad } from './pin-pad';
import { SetupFlow } from './setup-flow';
import type { AdminCommands, AdminSession } from './use-admin';

/** Props of {@link AdminOverlay}. */
export interface AdminOverlayProps {
  state: AdminState;
  commands: AdminCommands;
  session: AdminSession | undefined;
}

/**
 * What the admin sees instead of the visit screens: the PIN pad, the admin screen or the
 * first-run setup, with the overlay's notice (session ended, station unreachable) on top.
 */
export function AdminOverlay({ state, commands, session }: AdminOverlayProps) {
  const { t } = useTranslation();
  const { view, notice } = state;

  const renderView = () => {
    switch (view.kind) {
      case 'closed':
        return null;
      case 'opening':
        return (
          <div className="screen admin-pin">
            <ScreenHeading>{t('admin.pin.heading')}</ScreenHeading>
            <p role="status">{t('admin.pin.opening')}</p>
          </div>
        );
      case 'pin':
        return view.gate.kind === 'setup' ? null : (
          <PinPad
            // A new gate (attempts left, a lockout) is a new pad: the countdown starts from it.
            key={JSON.stringify(view.gate)}
            gate={view.gate}
            failure={view.failure}
            onSubmit={(pin) => void commands.unlock(pin)}
            onCancel={commands.close}
            onRetry={commands.reopen}
          />
        );
      case 'admin':
        return session ? (
          <AdminScreen session={session} onLock={commands.close} onLeave={commands.dismiss} />
        ) : null;
      case 'setup':
        return (
          <SetupFlow
            session={session}
            onCreatePin={commands.createPin}
            onLock={commands.close}
            onLeave={commands.dismiss}
          />
        );
    }
  };

  return (
    <div className="app admin-overlay">
      <main className="app-main">
        <div role="status" className="admin-notice-slot">
          {notice ? <p className="notice">{t(`admin.notices.${notice}`)}</p> : null}
        </div>
        {renderView()}
      </main>
    </div>
  );
}
