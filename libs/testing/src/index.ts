export * from './decider-spec';
export * from './graphql-client';
export * from './test-server';
export * from './eventstoredb-fake/esdb-fake-server';
export * from './small-file-system';
