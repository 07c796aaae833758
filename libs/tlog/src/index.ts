export * from './canonical-json';
export * from './merkle';
export * from './event-leaf';
export * from './signed-note';
export * from './checkpoint';
export * from './audit-export';
export * from './witness';
export * from './file-chunks';
