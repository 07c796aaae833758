export * from './decider-spec';
export * from './graphql-client';
export * from './test-server';
