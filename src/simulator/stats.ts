/**
 * Counters for benchmarks: requests the tenant answered and TCP connections it accepted, so a
 * benchmark can tell how many ISM calls an action made and whether its client reuses connections.
 */

import type { Server } from 'node:net';
import type { Socket } from 'node:net';

export interface SimulatorStats {
  /**
   * Requests the tenant answered: every API path and every 404, whatever the status. Not counted:
   * the `/__sim/...` admin routes (like the journal, they are not tenant traffic) and requests
   * a fault left without an answer (hang, reset-before, reset-after).
   */
  requests: number;
  /** TCP connections accepted since the start (admin connections included). */
  connections: number;
  /** Connections open now. */
  openConnections: number;
}

export class Counters {
  requests = 0;
  connections = 0;
  /** Open sockets; `close()` destroys them (kept-alive and hanging ones too). */
  readonly sockets = new Set<Socket>();

  /** Counts and keeps each connection the server accepts (for TLS, the TCP socket under it). */
  track(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  stats(): SimulatorStats {
    return { requests: this.requests, connections: this.connections, openConnections: this.sockets.size };
  }
}
