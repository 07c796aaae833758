export * from './meeting.events';
export * from './meeting.commands';
export * from './meeting.decider';
export * from './paragraph-register.decider';
export * from './protocol.findings';
export * from './meetings.projection';
export * from './meetings.reader';
export * from './meetings.module';
export { DecisionType, MeetingType, ComplianceFindingType } from './graphql/meeting.types';
