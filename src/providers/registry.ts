// Which provider handles an environment's `provider:` kind. A new provider is its own file plus one line here.
import type { ProviderKind } from '../config/types.js';
import { commandProvider } from './command.js';
import { localProvider } from './local.js';
import type { Provider } from './types.js';

const PROVIDERS: Readonly<Record<ProviderKind, Provider>> = {
  command: commandProvider,
  local: localProvider,
};

export function providerFor(kind: ProviderKind): Provider {
  return PROVIDERS[kind];
}
