/**
 * The page shown when the renderer keeps crashing. It is served by main itself (not from the
 * renderer build, which may be what is broken), has no script and needs no styles.
 */

/** Path of the built-in page under `app://walkup`. */
export const OUT_OF_SERVICE_PATH = '/__walkup/out-of-service.html';

/** The page: plain HTML, readable at kiosk distance without CSS. */
export const OUT_OF_SERVICE_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Walkup: out of service</title></head>
<body>
<h1>This station is out of service</h1>
<p>Please ask the help desk for assistance.</p>
</body>
</html>
`;
