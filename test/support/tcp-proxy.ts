/**
 * A TCP proxy between the platform and PostgreSQL that a test can cut, so that faults are made
 * without disturbing the other test files sharing the server:
 * - `cut('both')`: every connection through it closes at both ends, as when PostgreSQL restarts
 *   (the platform sees its connections end; PostgreSQL sees its clients go);
 * - `cut('client')`: only the platform's side closes; PostgreSQL's side stays open and silent, as
 *   when the platform's host dies or the network between them fails without a word: a statement
 *   already running goes on in PostgreSQL with nobody to answer to;
 * - `refuse(true)`: new connections are closed as they arrive, as while the database is down.
 */
import net from 'node:net';

export type CutMode = 'both' | 'client';

export interface TcpProxy {
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly open: number;
  cut(mode: CutMode): void;
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  /** Upstream sockets left open on purpose by `cut('client')`, ended at `close()`. */
  const stranded = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cut = (mode: CutMode) => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      pair.client
        .removeAllListeners('close')
        .removeAllListeners('error')
        .on('error', () => undefined);
      pair.upstream
        .removeAllListeners('close')
        .removeAllListeners('error')
        .on('error', () => undefined);
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.client.destroy();
      if (mode === 'both') {
        pair.upstream.destroy();
      } else {
        // Nothing more is read from PostgreSQL or written to it: a silent, open socket.
        pair.upstream.pause();
        stranded.add(pair.upstream);
      }
    }
  };
  return {
    port,
    get open() {
      return pairs.size;
    },
    cut,
    refuse(on) {
      refusing = on;
    },
    async close() {
      cut('both');
      for (const socket of stranded) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
