import { useEffect, useRef, type ReactNode } from 'react';

/** Props of {@link ScreenHeading}. */
export interface ScreenHeadingProps {
  children: ReactNode;
  /** Move focus here when the screen appears (false when a field takes focus instead). */
  focusOnMount?: boolean;
  id?: string;
}

/**
 * The one h1 of a screen. It takes focus when the screen appears, so screen-reader and keyboard
 * users start at the top of the new screen instead of on a control that no longer exists.
 */
export function ScreenHeading({ children, focusOnMount = true, id }: ScreenHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className="screen-heading">
      {children}
    </h1>
  );
}
