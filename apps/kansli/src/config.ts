import { resolve } from 'node:path';
import { parseEventStoreUrl, type EventStoreLocation } from '@kansli/event-store';

export interface KansliConfig {
  port: number;
  dataDir: string;
  eventStore: EventStoreLocation;
}

/** A bad configuration value: the message is one line naming the variable and what is allowed. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from environment variables (see "Running it" in API.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KansliConfig {
  const port = parsePort(env.PORT);
  const dataDir = resolve(nonEmpty('KANSLI_DATA_DIR', env.KANSLI_DATA_DIR) ?? './data');
  const store = nonEmpty('KANSLI_EVENTSTORE', env.KANSLI_EVENTSTORE) ?? `sqlite:${dataDir}/kansli.db`;
  let eventStore: EventStoreLocation;
  try {
    eventStore = parseEventStoreUrl(store);
  } catch (error) {
    throw new ConfigError('KANSLI_EVENTSTORE', (error as Error).message);
  }
  return { port, dataDir, eventStore };
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `expected a whole number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

function nonEmpty(variable: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(variable, 'is set but empty; unset it for the default or give a value');
  return value;
}
