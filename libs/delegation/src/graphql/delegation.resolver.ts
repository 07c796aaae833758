import { randomUUID } from 'node:crypto';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { Access, Clock, CommandingResolver, DateScalar, DateTimeScalar, type RequestContext } from '@kansli/api';
import { BodiesReader, BodyType, PersonType } from '@kansli/bodies';
import { InvalidInput, NotFound } from '@kansli/kernel';
import { DecisionType, MeetingsReader, MeetingType } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import {
  AssignRole,
  AttestInvoice,
  ChangeAttestRule,
  ChangeDelegation,
  RecordDelegatedDecision,
  ReportDelegatedDecisions,
  type DelegationTerms,
} from '../delegation.commands';
import { DelegationReader, type DelegatedDecisionView, type DelegationView } from '../delegation.reader';
import {
  AssignRoleInput,
  AttestInvoiceInput,
  ChangeAttestRuleInput,
  ChangeDelegationInput,
  RecordDelegatedDecisionInput,
  ReportDelegatedDecisionsInput,
} from './delegation.inputs';
import {
  AttestRuleType,
  DelegatedDecisionConnectionType,
  DelegatedDecisionType,
  DelegationType,
  DelegationVersionType,
  InvoiceAttestType,
  RoleAssignmentType,
} from './delegation.types';

const MAX_PAGE = 100;

const TERMS = ['matter', 'category', 'delegate', 'substitute', 'limitAmount'] as const;

@Resolver(() => DelegationType)
export class DelegationResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DelegationReader,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('SEKRETERARE')
  @Mutation(() => DelegationType, { description: 'GRANT, AMEND or REVOKE a delegation by the board\'s decision, from validFrom. R10: some categories can never be delegated.' })
  async changeDelegation(@Args('input') input: ChangeDelegationInput, @Context('request') request: RequestContext): Promise<DelegationView | undefined> {
    if (input.action === 'GRANT' && input.delegationId) throw new InvalidInput('A GRANT makes a new delegation: leave delegationId out (AMEND or REVOKE an existing one)');
    if (input.action !== 'GRANT' && !input.delegationId) throw new InvalidInput(`${input.action} changes an existing delegation: give its delegationId`);
    const delegationId = input.delegationId ?? randomUUID();
    // Left out: keep; null: clear (an AMEND's substitute or limit).
    const terms: DelegationTerms = {};
    for (const key of TERMS) if (input[key] !== undefined) Object.assign(terms, { [key]: input[key] });
    await this.run(new ChangeDelegation(input.bodyId, delegationId, input.action, terms, input.validFrom, input.decisionId, this.context(request)));
    return this.reader.delegation(delegationId);
  }

  @Access('AUTHENTICATED')
  @Query(() => [DelegationType], { description: 'The delegations valid on asOf (default today) as the system knew them at knownAt (default now).' })
  delegationOrder(
    @Args('bodyId', { type: () => ID }) bodyId: string,
    @Args('asOf', { type: () => DateScalar, nullable: true }) asOf?: string,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt?: string,
  ): DelegationView[] {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    return this.reader.delegationOrder(bodyId, asOf ?? this.today(), knownAt ?? undefined);
  }

  @ResolveField(() => BodyType) body(@Parent() delegation: DelegationType) {
    return this.bodies.body(delegation.bodyId);
  }
  @ResolveField(() => DecisionType, { nullable: true, description: 'The decision behind the version shown.' }) decision(@Parent() delegation: DelegationType) {
    return this.meetings.decision(delegation.decisionId) ?? null;
  }
}

@Resolver(() => DelegationVersionType)
export class DelegationVersionResolver {
  constructor(
    private readonly reader: DelegationReader,
    private readonly meetings: MeetingsReader,
  ) {}
  @ResolveField(() => DecisionType, { nullable: true }) decision(@Parent() version: DelegationVersionType) {
    return this.meetings.decision(version.decisionId) ?? null;
  }
  @ResolveField(() => DelegationType, { description: 'The delegation as it stood from this version (as it last stood, for a REVOKE).' })
  delegation(@Parent() version: DelegationVersionType) {
    return this.reader.delegation(version.delegationId, { asOf: version.validFrom });
  }
}

@Resolver(() => DelegatedDecisionType)
export class DelegatedDecisionResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DelegationReader,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('SEKRETERARE')
  @Mutation(() => DelegatedDecisionType, { description: 'Refused (R15) unless decidedBy is the delegate or the substitute of the delegation valid on decidedAt, within its limit.' })
  async recordDelegatedDecision(@Args('input') input: RecordDelegatedDecisionInput, @Context('request') request: RequestContext) {
    const delegatedDecisionId = randomUUID();
    await this.run(
      new RecordDelegatedDecision(delegatedDecisionId, input.delegationId, input.decidedBy, input.decidedAt, input.title.trim(), input.dnr?.trim() ?? null, input.amount ?? null, this.context(request)),
    );
    return this.reader.delegatedDecision(delegatedDecisionId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => DecisionType, { description: 'Anmälan av delegationsbeslut: ties delegated decisions to the paragraph where the board was told (R11).' })
  async reportDelegatedDecisions(@Args('input') input: ReportDelegatedDecisionsInput, @Context('request') request: RequestContext) {
    await this.run(new ReportDelegatedDecisions(input.decisionId, input.delegatedDecisionIds, this.context(request)));
    return this.meetings.decision(input.decisionId);
  }

  @Access('AUTHENTICATED')
  @Query(() => DelegatedDecisionConnectionType, { description: 'The body\'s delegated decisions, oldest first; only those not yet reported to the board if asked.' })
  delegatedDecisions(
    @Args('bodyId', { type: () => ID }) bodyId: string,
    @Args('unreportedOnly', { type: () => Boolean, nullable: true }) unreportedOnly?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): DelegatedDecisionConnectionType {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidInput(`first must be from 1 to ${MAX_PAGE}`);
    const page = this.reader.delegatedDecisionsOfBody(bodyId, size + 1, after ? decodeCursor(after) : undefined, unreportedOnly ?? false);
    const edges = page.slice(0, size).map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: page.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => DelegationType, { description: 'The delegation as it stood on decidedAt.' }) delegation(@Parent() decision: DelegatedDecisionType) {
    return this.reader.delegation(decision.delegationId, { asOf: decision.decidedAt });
  }
  @ResolveField(() => PersonType, { nullable: true, description: 'The person who decided.' }) decidedByPerson(@Parent() decision: DelegatedDecisionType) {
    return this.bodies.person(decision.decidedBy) ?? null;
  }
  @ResolveField(() => MeetingType, { nullable: true, description: 'The meeting where the board was told.' }) reportedAt(@Parent() decision: DelegatedDecisionType) {
    return decision.reportedMeetingId ? (this.meetings.meeting(decision.reportedMeetingId) ?? null) : null;
  }
  @ResolveField(() => DecisionType, { nullable: true, description: 'The paragraph where the board was told.' }) reportedIn(@Parent() decision: DelegatedDecisionType) {
    return decision.reportedDecisionId ? (this.meetings.decision(decision.reportedDecisionId) ?? null) : null;
  }
}

function encodeCursor(decision: DelegatedDecisionView): string {
  return Buffer.from(JSON.stringify([decision.decidedAt, decision.id])).toString('base64url');
}

function decodeCursor(cursor: string): { decidedAt: string; id: string } {
  try {
    const [decidedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof decidedAt === 'string' && typeof id === 'string') return { decidedAt, id };
  } catch {
    // fall through
  }
  throw new InvalidInput('after is not a cursor this list gave out');
}

@Resolver(() => AttestRuleType)
export class AttestRuleResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DelegationReader,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('SEKRETERARE')
  @Mutation(() => AttestRuleType, { description: 'Sets who attests one kind of invoice from validFrom (replacing the earlier rule of that scope and kind).' })
  async changeAttestRule(@Args('input') input: ChangeAttestRuleInput, @Context('request') request: RequestContext) {
    const attestRuleId = randomUUID();
    await this.run(
      new ChangeAttestRule(input.bodyId, attestRuleId, input.scope, input.kind, input.attestant, input.substitute ?? null, input.validFrom, input.decisionId, this.context(request)),
    );
    return this.reader.attestRule(attestRuleId);
  }

  @Access('AUTHENTICATED')
  @Query(() => [AttestRuleType], { description: 'The attest rules in force on asOf (default today).' })
  attestOrder(@Args('bodyId', { type: () => ID }) bodyId: string, @Args('asOf', { type: () => DateScalar, nullable: true }) asOf?: string) {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    return this.reader.attestOrder(bodyId, asOf ?? this.today());
  }

  @ResolveField(() => BodyType) body(@Parent() rule: AttestRuleType) {
    return this.bodies.body(rule.bodyId);
  }
  @ResolveField(() => DecisionType, { nullable: true }) decision(@Parent() rule: AttestRuleType) {
    return this.meetings.decision(rule.decisionId) ?? null;
  }
}

/** An invoice's id: the same reference in the same body is the same invoice. */
export const invoiceIdOf = (bodyId: string, invoiceRef: string) => uuidv5(invoiceRef.trim(), bodyId);

@Resolver(() => InvoiceAttestType)
export class InvoiceAttestResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DelegationReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('SEKRETERARE')
  @Mutation(() => InvoiceAttestType, { description: 'Refused (R14): an attestant without that rule on that date, both attests by one person, an attest of one\'s own cost.' })
  async attestInvoice(@Args('input') input: AttestInvoiceInput, @Context('request') request: RequestContext) {
    const invoiceAttestId = randomUUID();
    await this.run(
      new AttestInvoice(
        input.bodyId,
        invoiceIdOf(input.bodyId, input.invoiceRef),
        invoiceAttestId,
        input.invoiceRef,
        input.amount,
        input.kind,
        input.attestedBy,
        input.incurredBy ?? null,
        input.at,
        input.scope?.trim() || null,
        this.context(request),
      ),
    );
    return this.reader.invoiceAttest(invoiceAttestId);
  }
}

@Resolver(() => RoleAssignmentType)
export class RoleAssignmentResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DelegationReader,
    private readonly bodies: BodiesReader,
  ) {
    super(commands, readModels, clock);
  }

  // ADMIN, as appointMember: who holds a role decides who may attest and decide under delegation.
  @Access('ADMIN')
  @Mutation(() => RoleAssignmentType, { description: 'A role that is not a board position (Förbundschef…), held by a person from `from` to `to`.' })
  async assignRole(@Args('input') input: AssignRoleInput, @Context('request') request: RequestContext) {
    const roleAssignmentId = randomUUID();
    await this.run(new AssignRole(input.bodyId, roleAssignmentId, input.role, input.personId, input.from, input.to ?? null, this.context(request)));
    // Assigned again from the same day, the earlier assignment was given its new end: find it by its key.
    return this.reader.roleAssignment(roleAssignmentId) ?? this.reader.roleAssignmentOf(input.bodyId, input.role, input.personId, input.from);
  }

  @ResolveField(() => BodyType) body(@Parent() assignment: RoleAssignmentType) {
    return this.bodies.body(assignment.bodyId);
  }
  @ResolveField(() => PersonType) person(@Parent() assignment: RoleAssignmentType) {
    return this.bodies.person(assignment.personId);
  }
}

/** Where a register change or a report cites a paragraph, the paragraph links back. */
@Resolver(() => DecisionType)
export class DecisionDelegationResolver {
  constructor(private readonly reader: DelegationReader) {}

  @Access('AUTHENTICATED')
  @ResolveField(() => [DelegationVersionType], { description: 'The delegation changes (GRANT, AMEND, REVOKE) this paragraph decided.' })
  delegationChanges(@Parent() decision: DecisionType) {
    return this.reader.changesOfDecision(decision.id);
  }

  @Access('AUTHENTICATED')
  @ResolveField(() => [DelegatedDecisionType], { description: 'The delegated decisions reported to the board in this paragraph (R11).' })
  reportedDelegatedDecisions(@Parent() decision: DecisionType) {
    return this.reader.reportedIn(decision.id);
  }
}
