// URLs and host:port addresses in the config are checked for shape before anything runs (`url: not a url` would
// otherwise fail only after a whole poll timeout). Placeholders are first filled with sample values, so
// `${url}/healthz` is judged as the URL it will become; a value whose shape depends on a `${url}` that is itself
// not a URL is left to the problem reported on that url.
import { parseAddress } from '../checks/tcp.js';
import { expandText, type Placeholders } from '../exec/placeholders.js';
import type { ConfigNode } from './config-node.js';
import type { PathProblem } from './problems.js';

export type AddressKind = 'url' | 'tcp' | 'reachable';

/** Values standing in for the placeholders when a shape is checked; `url` is the environment's, or '' for none. */
export function sampleValues(environmentUrl?: ConfigNode): Placeholders {
  const base: Placeholders = {
    target: 'target',
    version: '1.0.0',
    environment: 'environment',
    url: '',
    snapshot: 'snapshot',
    previous_version: '0.9.0',
    sha: '0123456789abcdef0123456789abcdef01234567',
  };
  const url = environmentUrl === undefined ? '' : expandText(environmentUrl.asText(), base);
  return { ...base, url: isHttpUrl(url) ? url : '' };
}

export function checkAddress(node: ConfigNode, kind: AddressKind, samples: Placeholders): PathProblem[] {
  const written = node.asText();
  if (samples.url === '' && written.includes('${url}')) return [];
  const value = expandText(written, samples);
  // A `${…}` that is no placeholder is reported by the placeholder check; its shape cannot be judged.
  if (value.includes('${')) return [];
  const isAddress = kind === 'tcp' || (kind === 'reachable' && value.startsWith('tcp://'));
  if (isAddress ? parseAddress(value) !== undefined : isHttpUrl(value)) return [];
  const expected =
    kind === 'url' ? 'an http:// or https:// URL' : kind === 'tcp' ? 'host:port' : 'an http(s):// URL or tcp://host:port';
  const filled = value === written ? '' : ` (with sample values: ${JSON.stringify(value)})`;
  return [{ path: node.path, anchor: 'value', message: `expected ${expected}, got ${JSON.stringify(written)}${filled}` }];
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
