export * from './budget.events';
export * from './budget.commands';
export * from './budget.decider';
export * from './budget.findings';
export * from './budget.projection';
export * from './budget.reader';
export * from './budget.module';
export { BudgetType, BudgetRevisionType } from './graphql/budget.types';
