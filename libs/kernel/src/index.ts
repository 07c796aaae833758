export * from './domain.errors';
export * from './dates';
