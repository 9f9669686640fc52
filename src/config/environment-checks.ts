// Which checks prove an environment healthy: staging's smoke checks, production's health checks.
import type { EnvironmentConfig, PollConfig } from './types.js';

export function checksOf(environment: EnvironmentConfig): PollConfig | undefined {
  return environment.name === 'production' ? environment.health : environment.smoke;
}
