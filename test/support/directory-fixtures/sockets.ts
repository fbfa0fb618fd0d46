/**
 * Counts the TCP sockets a process holds to a server port, for tests that prove no connection
 * outlives its sign-in (issue #8). Linux only: the process's `/proc/<pid>/fd` links name socket
 * inodes, and `/proc/net/tcp` + `/proc/net/tcp6` map each inode to its addresses.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** TCP states that still tie a socket to its peer (everything but LISTEN and CLOSE). */
const LISTEN = '0A';
const CLOSE = '07';

/**
 * The sockets process `pid` (default: this one) holds whose remote port is `port`, in any state
 * but LISTEN/CLOSE. One line per socket, `state local remote`, for a useful failure message.
 */
export async function socketsToPort(port: number, pid: number = process.pid): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1]) inodes.add(match[1]);
  }
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, remote, state, , , , , , inode] = fields;
      if (!remote || !state || !inode || !inodes.has(inode)) continue;
      const remotePort = Number.parseInt(remote.split(':').at(-1) ?? '', 16);
      if (remotePort !== port || state === LISTEN || state === CLOSE) continue;
      found.push(`${state} ${local} ${remote}`);
    }
  }
  return found;
}

/**
 * Waits until process `pid` holds no socket to `port` or `ms` pass (a closed socket leaves the
 * fd table when Node's handle closes, an event-loop turn after `destroy()`), then returns what
 * is left. Not a timing assertion: a leak stays for good, so the wait only absorbs that turn.
 */
export async function socketsLeftToPort(
  port: number,
  ms = 2000,
  pid: number = process.pid,
): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await socketsToPort(port, pid);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
