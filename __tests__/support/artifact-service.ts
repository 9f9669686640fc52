// A local stand-in of GitHub's artifact service, the calls @actions/artifact v6 makes to upload one artifact, on
// 127.0.0.1: the Twirp JSON `CreateArtifact` (answers with a signed upload URL on this same server), the Azure Blob
// block upload to that URL (`comp=block` for each block, then `comp=blocklist` to commit them in order) and
// `FinalizeArtifact` (size and sha256 digest). Records what arrives: requests, and the committed bytes of each blob.
// Also crafts the ACTIONS_RUNTIME_TOKEN the client parses (a JWT whose `scp` names the run and job backend ids).
import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';
/** The signature of the signed upload URL: a credential, which must never reach a log or a report. */
export const UPLOAD_SIGNATURE = 'stand-in-signature-0123456789';

export interface TwirpCall {
  method: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface ArtifactService extends AsyncDisposable {
  /** ACTIONS_RESULTS_URL */
  url: string;
  /** ACTIONS_RUNTIME_TOKEN, naming `ids` */
  token: string;
  ids: { run: string; job: string };
  /** The Twirp calls in order. */
  calls: TwirpCall[];
  /** Committed blobs by artifact name. */
  blobs: Map<string, Buffer>;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT (the client decodes it, it does not verify it) with the Actions.Results scope. */
export function runtimeToken(ids: { run: string; job: string }): string {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ scp: `Actions.GenericRead:0 Actions.Results:${ids.run}:${ids.job}` })}.c2lnbmF0dXJl`;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startArtifactService(): Promise<ArtifactService> {
  const ids = { run: 'c0ffee00-0000-4000-8000-000000000001', job: 'c0ffee00-0000-4000-8000-000000000002' };
  const calls: TwirpCall[] = [];
  const blobs = new Map<string, Buffer>();
  /** Staged blocks by blob name, then by block id. */
  const staged = new Map<string, Map<string, Buffer>>();
  let origin = '';
  let nextId = 4100;

  const twirp = (method: string, body: Record<string, unknown>, response: ServerResponse): void => {
    const name = String(body.name);
    if (method === 'CreateArtifact') {
      staged.set(name, new Map());
      // Path-style blob URL (an IP host): account / container / blob.
      return json(response, 200, { ok: true, signed_upload_url: `${origin}/blob/devstoreaccount1/actions-results/${encodeURIComponent(name)}.zip?sv=2023&sig=${UPLOAD_SIGNATURE}` });
    }
    if (method === 'FinalizeArtifact') {
      if (!blobs.has(name)) return json(response, 404, { code: 'not_found', msg: `no committed upload for ${name}` });
      return json(response, 200, { ok: true, artifact_id: String(nextId++) });
    }
    json(response, 404, { code: 'bad_route', msg: `no method ${method}` });
  };

  const blob = (url: URL, body: Buffer, response: ServerResponse): void => {
    const name = decodeURIComponent(url.pathname.split('/').at(-1)!.replace(/\.zip$/, ''));
    const blocks = staged.get(name);
    if (url.searchParams.get('sig') !== UPLOAD_SIGNATURE || blocks === undefined) return void response.writeHead(403).end();
    const headers = { 'x-ms-request-id': 'stand-in', 'x-ms-version': '2023-11-03', etag: '"0x1"', 'last-modified': new Date().toUTCString() };
    if (url.searchParams.get('comp') === 'block') {
      blocks.set(url.searchParams.get('blockid')!, body);
      return void response.writeHead(201, { ...headers, 'x-ms-request-server-encrypted': 'true' }).end();
    }
    if (url.searchParams.get('comp') === 'blocklist') {
      const order = [...body.toString('utf8').matchAll(/<Latest>([^<]+)<\/Latest>/g)].map((match) => match[1]!);
      blobs.set(name, Buffer.concat(order.map((id) => blocks.get(id) ?? Buffer.alloc(0))));
      return void response.writeHead(201, headers).end();
    }
    response.writeHead(400).end();
  };

  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const url = new URL(request.url ?? '/', origin);
      if (request.method === 'POST' && url.pathname.startsWith(TWIRP)) {
        const method = url.pathname.slice(TWIRP.length);
        const parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        calls.push({ method, authorization: request.headers.authorization, body: parsed });
        return twirp(method, parsed, response);
      }
      if (request.method === 'PUT' && url.pathname.startsWith('/blob/')) return blob(url, body, response);
      response.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: origin,
    token: runtimeToken(ids),
    ids,
    calls,
    blobs,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
