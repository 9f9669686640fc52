// The sample service: a tiny HTTP app. The platform (examples/platform/serve.mjs) loads the active release's copy
// of this file and hands it each request, so switching the `current` symlink switches the running version.
import { readFileSync } from 'node:fs';

const release = JSON.parse(readFileSync(new URL('./release.json', import.meta.url), 'utf8'));

export function handle(path, platform) {
  if (path === '/healthz') {
    // A release can need configuration that only production has; the broken demo release does.
    if (release.requires && !platform.config[release.requires]) {
      return { status: 500, body: `unhealthy: ${release.requires} is not configured in ${platform.environment}\n` };
    }
    return { status: 200, body: 'ok\n' };
  }
  if (path === '/version') return { status: 200, body: `${release.version}\n` };
  if (path === '/') return { status: 200, body: `hello from sample-service ${release.version} (${platform.environment})\n` };
  return { status: 404, body: 'not found\n' };
}
