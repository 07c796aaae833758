import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DateScalar } from '@kansli/api';
import { DOCUMENT_LIMITS } from '../document.decider';
import type { DocumentDirection } from '../document.events';
import { DocumentDirectionEnum } from './document.types';

const id = (name: string) => IsUUID('all', { message: `${name} is not a valid id` });
const text = (name: string, max: number) => Length(1, max, { message: `${name} must be 1–${max} characters` });

@InputType()
export class RegisterDocumentInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field({ nullable: true, description: 'The case to file it under; without one, the next of the body\'s series "YYYY-NNNN" (R12).' })
  @IsOptional() @IsString() @text('dnr', DOCUMENT_LIMITS.dnr)
  dnr?: string;
  @Field(() => DateScalar, { description: 'The document\'s date; not in the future.' }) @IsString() date!: string;
  @Field(() => DocumentDirectionEnum) @IsEnum(DocumentDirectionEnum) direction!: DocumentDirection;
  @Field({ nullable: true, description: 'Sender (INKOMMANDE) or recipient (UTGAENDE): required for both (R12).' })
  @IsOptional() @IsString() @text('counterpart', DOCUMENT_LIMITS.counterpart)
  counterpart?: string;
  @Field() @IsString() @text('description', DOCUMENT_LIMITS.description) description!: string;
  @Field({ nullable: true, description: 'An OSL reference, e.g. "OSL 21:1", when the description is secret.' })
  @IsOptional() @IsString() @text('secrecy', DOCUMENT_LIMITS.secrecy)
  secrecy?: string;
}

