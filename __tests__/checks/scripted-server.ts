// Real loopback servers for check and HTTP tests, scripted per request: healthy, failing, hanging, garbage.
import http from 'node:http';
import net from 'node:net';

export interface ScriptedServer {
  url: string;
  host: string;
  port: number;
  /** Requests (or raw connections) received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** `respond` gets the 1-based number of the request, so a server can turn healthy after N requests. */
export async function startHttpServer(
  respond: (request: http.IncomingMessage, response: http.ServerResponse, n: number) => void,
): Promise<ScriptedServer> {
  const { server, requests, sockets } = countingServer(respond);
  return listen(server, requests, sockets);
}

/** A server counting its requests and keeping its open sockets (so closing it can end them). */
function countingServer(respond: (request: http.IncomingMessage, response: http.ServerResponse, n: number) => void) {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => respond(request, response, ++requests));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { server, requests: () => requests, sockets };
}

/** An HTTP server whose port refuses connections until `start()`: a release that is slow to start. */
export async function lateHttpServer(
  respond: (request: http.IncomingMessage, response: http.ServerResponse, n: number) => void,
): Promise<{ url: string; start(): Promise<ScriptedServer> }> {
  const port = await closedPort();
  const { server, requests, sockets } = countingServer(respond);
  return { url: `http://127.0.0.1:${port}`, start: () => listen(server, requests, sockets, port) };
}

/** A TCP server that is not HTTP: `onConnection` writes whatever it likes. */
export async function startRawServer(onConnection: (socket: net.Socket) => void): Promise<ScriptedServer> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  return listen(server, () => connections, sockets);
}

/** A port on 127.0.0.1 where nothing listens (it was just released). */
export async function closedPort(): Promise<number> {
  const server = await startRawServer(() => {});
  await server.close();
  return server.port;
}

async function listen(server: net.Server, count: () => number, sockets: Set<net.Socket>, port = 0): Promise<ScriptedServer> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    host: '127.0.0.1',
    port: address.port,
    get requests() {
      return count();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
