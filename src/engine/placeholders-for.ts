// The placeholder values of one run in one environment; `${url}` is the environment's url with the others expanded.
import type { EnvironmentConfig } from '../config/types.js';
import { expandText, type Placeholders } from '../exec/placeholders.js';

export interface RunValues {
  target: string;
  version: string;
  previousVersion?: string;
  sha?: string;
  snapshot?: string;
}

export function placeholdersFor(values: RunValues, environment?: EnvironmentConfig): Placeholders {
  const base: Placeholders = {
    target: values.target,
    version: values.version,
    environment: environment?.name ?? '',
    url: '',
    snapshot: values.snapshot ?? '',
    previous_version: values.previousVersion ?? '',
    sha: values.sha ?? '',
  };
  return { ...base, url: environment?.url ? expandText(environment.url, base) : '' };
}
