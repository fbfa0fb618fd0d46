/** Props of {@link StationHeader}. */
export interface StationHeaderProps {
  /** The station's name from its configuration: the only branding text. */
  name: string;
}

/** The calm top band shown on every screen except Duo (which has the Walkup bar instead). */
export function StationHeader({ name }: StationHeaderProps) {
  return (
    <header className="station-header">
      <p className="station-name">{name}</p>
    </header>
  );
}
