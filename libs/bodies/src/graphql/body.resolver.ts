import { randomUUID } from 'node:crypto';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver, ID } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access, Clock, commandContext, DateScalar, DateTimeScalar, type RequestContext } from '@kansli/api';
import type { CommandResult, DomainEvent } from '@kansli/event-store';
import { ProjectionRunner } from '@kansli/projections';
import { AppointMember, EndMembership, EstablishBody, RegisterPerson } from '../body.commands';
import { BodiesReader } from '../bodies.reader';
import { AppointMemberInput, EndMembershipInput, EstablishBodyInput, RegisterPersonInput } from './body.inputs';
import { BodyType, MembershipType, PersonType } from './body.types';

type Result = CommandResult<DomainEvent, unknown>;

@Resolver(() => BodyType)
export class BodyResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ProjectionRunner,
    private readonly bodies: BodiesReader,
    private readonly clock: Clock,
  ) {}

  @Access('ANONYMOUS')
  @Query(() => [BodyType], { name: 'bodies', description: 'Every body, by name.' })
  bodiesList(): BodyType[] {
    return this.bodies.bodies();
  }

  @Access('ANONYMOUS')
  @Query(() => BodyType, { nullable: true })
  body(@Args('id', { type: () => ID }) id: string): BodyType | undefined {
    return this.bodies.body(id);
  }

  @ResolveField(() => [MembershipType], {
    description: 'Memberships valid on `asOf` (all memberships when omitted), as the system knew them at `knownAt` (now when omitted).',
  })
  members(
    @Parent() body: BodyType,
    @Args('asOf', { type: () => DateScalar, nullable: true }) asOf?: string,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt?: string,
  ): MembershipType[] {
    return this.bodies.members(body.id, asOf ?? undefined, knownAt ? new Date(knownAt).toISOString() : undefined);
  }

  @Access('ADMIN')
  @Mutation(() => BodyType)
  async establishBody(@Args('input') input: EstablishBodyInput, @Context('request') request: RequestContext): Promise<BodyType> {
    const bodyId = randomUUID();
    await this.run(new EstablishBody(bodyId, input.name.trim(), input.kind, input.seats, this.context(request), input.finsam ?? false));
    return this.bodies.body(bodyId)!;
  }

  @Access('ADMIN')
  @Mutation(() => PersonType, { description: 'Registers a person who is not (yet) a member: an official or a guest.' })
  async registerPerson(@Args('input') input: RegisterPersonInput, @Context('request') request: RequestContext): Promise<PersonType> {
    const personId = randomUUID();
    await this.run(new RegisterPerson(personId, input.name.trim(), this.context(request)));
    return this.bodies.person(personId)!;
  }

  @Access('ADMIN')
  @Mutation(() => MembershipType, { description: 'personId, or personName to register a new person.' })
  async appointMember(@Args('input') input: AppointMemberInput, @Context('request') request: RequestContext): Promise<MembershipType> {
    const membershipId = randomUUID();
    await this.run(
      new AppointMember(
        input.bodyId,
        membershipId,
        input.personId ?? null,
        input.personName?.trim() ?? null,
        input.role,
        input.position ?? null,
        input.representing ?? null,
        input.party ?? null,
        input.substituteOrder ?? null,
        input.from,
        input.to ?? null,
        this.context(request),
      ),
    );
    return this.bodies.membership(membershipId)!;
  }

  @Access('ADMIN')
  @Mutation(() => MembershipType)
  async endMembership(@Args('input') input: EndMembershipInput, @Context('request') request: RequestContext): Promise<MembershipType> {
    await this.run(new EndMembership(input.membershipId, input.to, this.context(request)));
    return this.bodies.membership(input.membershipId)!;
  }

  private context(request: RequestContext) {
    return commandContext(request, this.clock.now().toISOString());
  }

  private async run(command: object): Promise<void> {
    const result = await this.commands.execute<object, Result>(command);
    await this.readModels.settled(result);
  }
}

@Resolver(() => MembershipType)
export class MembershipResolver {
  constructor(private readonly bodies: BodiesReader) {}

  @ResolveField(() => PersonType)
  person(@Parent() membership: MembershipType): PersonType {
    return this.bodies.person(membership.personId)!;
  }

  @ResolveField(() => BodyType)
  body(@Parent() membership: MembershipType): BodyType {
    return this.bodies.body(membership.bodyId)!;
  }
}
