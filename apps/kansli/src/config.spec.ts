import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to port 4000 and the embedded store under ./data', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      dataDir: resolve('./data'),
      eventStore: { engine: 'sqlite', filename: `${resolve('./data')}/kansli.db` },
    });
  });

  it('puts the default database in KANSLI_DATA_DIR and accepts an esdb:// connection string', () => {
    expect(loadConfig({ KANSLI_DATA_DIR: '/srv/kansli' }).eventStore).toEqual({ engine: 'sqlite', filename: '/srv/kansli/kansli.db' });
    expect(loadConfig({ KANSLI_EVENTSTORE: 'esdb://node1:2113?tls=false' }).eventStore).toEqual({
      engine: 'eventstoredb',
      connectionString: 'esdb://node1:2113?tls=false',
    });
  });

  it.each([
    ['PORT', 'abc', /^PORT: expected a whole number from 1 to 65535, got "abc"$/],
    ['PORT', '70000', /^PORT: expected a whole number from 1 to 65535/],
    ['PORT', '40.5', /^PORT: expected a whole number/],
    ['KANSLI_EVENTSTORE', 'postgres://db', /^KANSLI_EVENTSTORE: expected sqlite:<file> or esdb:\/\/host:port/],
    ['KANSLI_EVENTSTORE', 'sqlite:', /^KANSLI_EVENTSTORE: sqlite: needs a file name/],
    ['KANSLI_DATA_DIR', ' ', /^KANSLI_DATA_DIR: is set but empty/],
  ])('refuses %s=%j with one line naming the variable and what is allowed', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
