import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar, DateTimeScalar, PageInfoType } from '@kansli/api';
import { AgendaItemType, DecisionType, MotionType } from '@kansli/meetings';
import { DelegatedDecisionType } from '@kansli/delegation';
import type { DocumentDirection } from '../document.events';

export const DocumentDirectionEnum = { INKOMMANDE: 'INKOMMANDE', UTGAENDE: 'UTGAENDE', UPPRATTAD: 'UPPRATTAD' } as const satisfies Record<DocumentDirection, DocumentDirection>;
registerEnumType(DocumentDirectionEnum, {
  name: 'DocumentDirection',
  description: 'INKOMMANDE (received: counterpart is the sender), UTGAENDE (sent: the recipient), UPPRATTAD (drawn up by the body).',
});

@ObjectType('Document', { description: 'An allmän handling registered in the diarium (R12): date, diarienummer, counterpart and description.' })
export class DocumentType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  @Field({ description: 'The diarienummer it is filed under: the body\'s series "YYYY-NNNN", or an imported one as written.' }) dnr!: string;
  @Field(() => DateTimeScalar, { description: 'When it was registered (the server\'s clock).' }) registeredAt!: string;
  @Field(() => DateScalar, { description: 'The document\'s own date (received, sent or drawn up).' }) date!: string;
  @Field(() => DocumentDirectionEnum) direction!: DocumentDirection;
  @Field(() => String, { nullable: true, description: 'The sender of an incoming document, the recipient of an outgoing one.' }) counterpart!: string | null;
  @Field(() => String, { nullable: true, description: 'An OSL reference ("OSL 21:1"): the description is hidden from anyone without a token.' }) secrecy!: string | null;
}

@ObjectType('DocumentEdge')
export class DocumentEdgeType {
  @Field() cursor!: string;
  @Field(() => DocumentType) node!: DocumentType;
}

@ObjectType('DocumentConnection')
export class DocumentConnectionType {
  @Field(() => [DocumentEdgeType]) edges!: DocumentEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('Case', { description: 'Everything filed under one diarienummer (an ärende): documents, agenda items, motions, decisions and delegated decisions.' })
export class CaseType {
  @Field() dnr!: string;
  bodyId!: string | null;
  @Field(() => [DocumentType], { description: 'In the order registered.' }) documents!: DocumentType[];
  @Field(() => [AgendaItemType], { description: 'Agenda items carrying the dnr, oldest meeting first.' }) agendaItems!: AgendaItemType[];
  @Field(() => [MotionType], { description: 'Motions carrying the dnr, or on an agenda item carrying it.' }) motions!: MotionType[];
  @Field(() => [DecisionType], { description: 'The paragraphs that decided those motions.' }) decisions!: DecisionType[];
  @Field(() => [DelegatedDecisionType], { description: 'Delegated decisions carrying the dnr.' }) delegatedDecisions!: DelegatedDecisionType[];
}

