/**
 * Reads one secret line a person types (a password, a PIN): without echo from a terminal (raw
 * mode; Backspace edits, Ctrl-C / Ctrl-D give up), otherwise all of stdin with one trailing
 * newline removed (`echo pw | walkup …`). Nothing is echoed, logged or kept. Shared by
 * `walkup auth-test` and `walkup hash-pin`.
 */

/** What reading needs of the process. */
export interface HiddenInputIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  /** The terminal prompt goes here when given (no newline after it); else through `err`. */
  stderr?: NodeJS.WritableStream;
  err(line: string): void;
}

/** Longest input read from stdin; anything longer is not a password or a PIN. */
export const MAX_HIDDEN_INPUT_BYTES = 64 * 1024;

/**
 * Reads the input; `label` names it in the terminal prompt (`Password`, `PIN`). Resolves with
 * undefined for empty or oversized input, or when the person gives up.
 */
export async function readHiddenInput(io: HiddenInputIo, label: string): Promise<string | undefined> {
  const { stdin } = io;
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') return readFromTerminal(io, label);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_HIDDEN_INPUT_BYTES) return undefined;
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return text.length > 0 ? text : undefined;
}

function readFromTerminal(io: HiddenInputIo, label: string): Promise<string | undefined> {
  const { stdin } = io;
  const setRawMode = stdin.setRawMode?.bind(stdin);
  return new Promise((resolve) => {
    let typed = '';
    if (io.stderr) io.stderr.write(`${label}: `);
    else io.err(`${label} (input hidden), then Enter:`);
    setRawMode?.(true);
    stdin.resume();
    const finish = (value: string | undefined) => {
      stdin.off('data', onData);
      setRawMode?.(false);
      stdin.pause();
      if (io.stderr) io.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\u0003' || char === '\u0004') return finish(undefined); // Ctrl-C, Ctrl-D
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
