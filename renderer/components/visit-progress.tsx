import { useTranslation } from 'react-i18next';

/** The three steps of a visit, in order. */
export const visitSteps = ['sign-in', 'devices', 'done'] as const;
export type VisitStep = (typeof visitSteps)[number];

const stepKeys = {
  'sign-in': 'progress.signIn',
  devices: 'progress.devices',
  done: 'progress.done',
} as const satisfies Record<VisitStep, string>;

/** Props of {@link VisitProgress}. */
export interface VisitProgressProps {
  /** The step the person is at; undefined: not started yet (the welcome), no step is current. */
  current?: VisitStep | undefined;
}

/**
 * Where the person is in the visit: Sign in, Manage your devices, Done. The current step carries
 * `aria-current="step"` (WAI-ARIA 1.2, aria-current); steps before it are drawn as done, with a
 * check mark and a solid number that do not rely on colour alone. Before Start (the welcome) no
 * step is current nor done: the list only shows what lies ahead.
 */
export function VisitProgress({ current }: VisitProgressProps) {
  const { t } = useTranslation();
  const currentIndex = current === undefined ? -1 : visitSteps.indexOf(current);
  return (
    <ol className="visit-progress" aria-label={t('progress.label')}>
      {visitSteps.map((step, index) => (
        <li
          key={step}
          className={index < currentIndex ? 'step past' : index === currentIndex ? 'step current' : 'step'}
          aria-current={index === currentIndex ? 'step' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {index + 1}
          </span>
          <span className="step-label">{t(stepKeys[step])}</span>
        </li>
      ))}
    </ol>
  );
}
