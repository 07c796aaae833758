export * from './document.events';
export * from './document.commands';
export * from './document.decider';
export * from './diarium.projection';
export * from './diarium.reader';
export * from './diarium.module';
export { DocumentType, CaseType } from './graphql/document.types';
