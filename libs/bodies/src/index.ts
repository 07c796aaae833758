export * from './body.events';
export * from './body.commands';
export * from './body.decider';
export * from './person.decider';
export * from './bodies.projection';
export * from './bodies.reader';
export * from './finsam.findings';
export * from './bodies.module';
export { BodyType, PersonType, MembershipType } from './graphql/body.types';
