import { Args, Field, ID, InputType, Int, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { Access, DateTimeScalar, PageInfoType } from '@kansli/api';
import { InvalidInput } from '@kansli/kernel';
import { TimelineReader, type AuditEventView } from '../timeline.reader';

const MAX_PAGE = 500;

@InputType()
export class TimelineFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'entityId is not a valid id' }) entityId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'bodyId is not a valid id' }) bodyId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'personId is not a valid id' }) personId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 50) dnr?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) types?: string[];
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() occurredFrom?: string;
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() occurredTo?: string;
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() recordedFrom?: string;
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() recordedTo?: string;
}

@ObjectType('AuditEvent', { description: 'One event of the log, as the auditors see it.' })
export class AuditEventType {
  @Field({ description: 'Place in the whole log (a decimal string: positions can exceed 64 bits).' }) position!: string;
  @Field() stream!: string;
  @Field(() => Int) revision!: number;
  @Field() type!: string;
  @Field(() => DateTimeScalar, { description: 'Business time.' }) occurredAt!: string;
  @Field(() => DateTimeScalar, { description: 'Record time.' }) recordedAt!: string;
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field(() => String, { nullable: true }) correlationId!: string | null;
  @Field(() => String, { nullable: true }) causationId!: string | null;
  @Field(() => GraphQLJSON) data!: unknown;
}

@ObjectType('AuditEventEdge')
export class AuditEventEdgeType {
  @Field() cursor!: string;
  @Field(() => AuditEventType) node!: AuditEventType;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnectionType {
  @Field(() => [AuditEventEdgeType]) edges!: AuditEventEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@Resolver(() => AuditEventType)
export class TimelineResolver {
  constructor(private readonly reader: TimelineReader) {}

  @Access('SEKRETERARE', 'ADMIN', 'REVISOR')
  @Query(() => AuditEventConnectionType, { description: 'Every event, oldest first, filtered by entity, body, person, dnr, type and time.' })
  timeline(
    @Args('filter', { type: () => TimelineFilter, nullable: true }) filter?: TimelineFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): AuditEventConnectionType {
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidInput(`first must be from 1 to ${MAX_PAGE}`);
    const afterSeq = after === undefined || after === null ? 0 : decodeCursor(after);
    const rows = this.reader.page(filter ?? {}, size, afterSeq);
    const edges = rows.slice(0, size).map((node: AuditEventView) => ({ cursor: encodeCursor(node.seq), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  // The timeline holds every event of the log in log order, as the log's tree does: its n-th entry is leaf n − 1.
  @ResolveField(() => Int, {
    nullable: true,
    description: "The event's leaf in the log's Merkle tree (0-based, in log order): the index inclusionProof proves.",
  })
  leafIndex(@Parent() event: AuditEventView): number {
    return event.seq - 1;
  }
}

function encodeCursor(seq: number): string {
  return Buffer.from(`timeline:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^timeline:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidInput('after is not a cursor this list gave out');
  return Number(match[1]);
}
