import { useTranslation } from 'react-i18next';
import type { StationInfo } from '../../main/contract';

/** Props of {@link DemoAccounts}. */
export interface DemoAccountsProps {
  users: NonNullable<StationInfo['demo']>['users'];
}

/** Demo mode only: the demo directory's accounts, so anyone can try the station. */
export function DemoAccounts({ users }: DemoAccountsProps) {
  const { t } = useTranslation();
  return (
    <aside className="demo-accounts" aria-labelledby="demo-accounts-heading">
      <h2 id="demo-accounts-heading">{t('demo.heading')}</h2>
      <p>{t('demo.intro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('demo.username')}</th>
            <th scope="col">{t('demo.password')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.username}>
              <td>
                <code>{user.username}</code>
              </td>
              <td>
                <code>{user.password}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
