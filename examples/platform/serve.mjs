// A tiny hosting platform for the demo: serves whatever release `<root>/current` points to, on 127.0.0.1:<port>.
// Each request resolves the symlink, so the local provider's atomic switch (and a rollback) takes effect at once.
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, port, environment, configJson = '{}'] = process.argv.slice(2);
const config = JSON.parse(configJson);
const loaded = new Map();

async function appFor(release) {
  if (!loaded.has(release)) loaded.set(release, import(pathToFileURL(join(release, 'app.mjs')).href));
  return loaded.get(release);
}

const server = createServer(async (request, response) => {
  let release;
  try {
    release = realpathSync(join(root, 'current'));
  } catch {
    response.writeHead(503).end('nothing deployed\n');
    return;
  }
  try {
    const app = await appFor(release);
    const { status, body, delayMs = 0 } = app.handle(new URL(request.url, 'http://x').pathname, { environment, config });
    // A release may answer slowly (a test service with realistic latency); the answer waits, nothing else does.
    const answer = () => response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  } catch (error) {
    response.writeHead(500).end(`release failed to load: ${error.message}\n`);
  }
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
