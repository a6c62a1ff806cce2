import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An HTTP server on 127.0.0.1 that can go away and come back on the same port (an issuer
 * outage and restart) and can leave requests unanswered (a hanging issuer) — and always
 * cleans up its sockets so tests end promptly.
 */
export class LoopbackServer {
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private server: Server,
    readonly port: number,
    private readonly handler: Handler,
  ) {}

  /** Listens on `port` (0: an ephemeral one). */
  static async listen(port: number, handler: Handler): Promise<LoopbackServer> {
    const server = await listening(port);
    const loopback = new LoopbackServer(server, (server.address() as AddressInfo).port, handler);
    loopback.attach(server);
    return loopback;
  }

  /** Keeps this response open until `release()` or `close()`. */
  hold(response: ServerResponse): void {
    this.held.add(response);
  }

  /** Drops every held request. */
  release(): void {
    for (const response of this.held) response.destroy();
    this.held.clear();
  }

  /** Stops listening and cuts every connection. */
  close(): Promise<void> {
    this.release();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /** Listens again on the same port after `close()`. */
  async reopen(): Promise<void> {
    this.server = await listening(this.port);
    this.attach(this.server);
  }

  private attach(server: Server): void {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', this.handler);
  }
}

function listening(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
