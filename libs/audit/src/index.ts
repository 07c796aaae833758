export * from './timeline.projection';
export * from './timeline.reader';
export * from './audit.module';
