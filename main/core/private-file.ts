/**
 * Writing a file only this account may read (mode 0600, in a 0700 folder), atomically: the data
 * goes to a temporary file beside it, is flushed to disk, and replaces the file by a rename, so a
 * reader sees the old file or the new one, never half of one (POSIX rename(2)). Used for the
 * vault's blobs and the kiosk's pending secret import.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Writes `data` to `file` as described above; throws the file system's error (the temporary file removed). */
export async function writePrivateFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
