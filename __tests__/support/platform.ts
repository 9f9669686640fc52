// Starts the demo platform (examples/platform/serve.mjs) on a free loopback port: a real HTTP server that serves
// whatever release `<root>/current` points to. Disposed with `await using`.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';

const SERVE = join(import.meta.dirname, '..', '..', 'examples', 'platform', 'serve.mjs');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Platform extends AsyncDisposable {
  url: string;
  port: number;
  get(path: string): Promise<{ status: number; body: string }>;
}

/** `port`: one chosen earlier (a URL in a config already names it), e.g. to start serving late. */
export async function startPlatform(root: string, environment: string, config: Record<string, string> = {}, port?: number): Promise<Platform> {
  port ??= await freePort();
  const child: ChildProcess = fork(SERVE, [root, String(port), environment, JSON.stringify(config)], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    async get(path) {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, body: (await response.text()).trim() };
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
