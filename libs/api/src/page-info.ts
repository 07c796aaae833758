import { Field, ObjectType } from '@nestjs/graphql';

/** Relay's PageInfo, shared by every connection. */
@ObjectType('PageInfo')
export class PageInfoType {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
