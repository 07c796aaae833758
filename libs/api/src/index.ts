export * from './scalars';
export * from './error-format';
export * from './request-context';
export * from './clock';
export * from './access';
export * from './rate-limiter';
export * from './page-info';
export * from './compliance';
