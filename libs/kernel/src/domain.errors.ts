/**
 * A refusal the user can act on. `code` becomes the GraphQL `extensions.code`; `rule` names the governance rule
 * of DOMAIN.md (R1…R14) when one refused it. Messages are written for a secretary, not a developer.
 */
export abstract class DomainError extends Error {
  abstract readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RULE_VIOLATION' | 'CONFLICT';
  readonly rule?: string;
}

/** The input is malformed or impossible (a date that does not exist, an empty title, a duplicate). */
export class InvalidInput extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** Something the input refers to does not exist. */
export class NotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
    this.name = 'NotFound';
  }
}

/** A governance rule forbids it. */
export class RuleViolation extends DomainError {
  readonly code = 'RULE_VIOLATION';
  constructor(
    override readonly rule: string,
    message: string,
  ) {
    super(`${message} (${rule})`);
    this.name = 'RuleViolation';
  }
}

/** The thing already exists, or is in a state where the command no longer applies. */
export class Conflict extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'Conflict';
  }
}
