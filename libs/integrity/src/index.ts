export * from './log-config';
export * from './log-signer';
export * from './checkpoint-store';
export * from './log-checkpoints';
export * from './log-tree.projection';
export * from './checkpoint.scheduler';
export * from './integrity.module';
export * from './audit-export';
