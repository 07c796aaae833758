import { randomUUID } from 'node:crypto';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access, Clock, CommandingResolver, type RequestContext } from '@kansli/api';
import { BodiesReader, BodyType } from '@kansli/bodies';
import { DelegationReader, type DelegatedDecisionView } from '@kansli/delegation';
import { InvalidInput, NotFound, swedishDate } from '@kansli/kernel';
import { MeetingsReader, type AgendaItemView, type DecisionView, type MotionView } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { RegisterDocument } from '../document.commands';
import { DOCUMENT_LIMITS } from '../document.decider';
import { DiariumReader, type DocumentView } from '../diarium.reader';
import { RegisterDocumentInput } from './document.inputs';
import { CaseType, DocumentConnectionType, DocumentType } from './document.types';
import { decodeSeqCursor, encodeSeqCursor, pageSize } from './paging';

/**
 * A secret document's description is shown to signed-in callers only (OSL: the reference says why). Every query
 * that reaches a document needs a token today; this keeps it so if one ever does not.
 */
export function visibleDescription(document: Pick<DocumentView, 'description' | 'secrecy'>, request: Pick<RequestContext, 'principal'>): string {
  if (document.secrecy === null || request.principal !== null) return document.description;
  return `Sekretess (${document.secrecy})`;
}

/** What `case` answers: the read models' views of everything filed under the dnr. */
export interface CaseView {
  dnr: string;
  bodyId: string | null;
  documents: DocumentView[];
  agendaItems: AgendaItemView[];
  motions: MotionView[];
  decisions: DecisionView[];
  delegatedDecisions: DelegatedDecisionView[];
}

@Resolver(() => DocumentType)
export class DocumentResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DiariumReader,
    private readonly bodies: BodiesReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('SEKRETERARE', 'DIARIUM')
  @Mutation(() => DocumentType, { description: 'Registers an allmän handling (R12). Without a dnr it opens a case: the next number of the body\'s series "YYYY-NNNN".' })
  async registerDocument(@Args('input') input: RegisterDocumentInput, @Context('request') request: RequestContext): Promise<DocumentView | undefined> {
    const documentId = randomUUID();
    const registeredAt = this.now();
    const fields = {
      date: input.date,
      direction: input.direction,
      counterpart: input.counterpart ?? null,
      description: input.description,
      secrecy: input.secrecy ?? null,
    };
    await this.run(new RegisterDocument(documentId, input.bodyId, input.dnr ?? null, fields, registeredAt, swedishDate(registeredAt), this.context(request, registeredAt)));
    return this.reader.document(documentId);
  }

  @Access('AUTHENTICATED')
  @Query(() => DocumentConnectionType, { description: 'The body\'s registered documents in the order registered; of one dnr if given.' })
  documents(
    @Args('bodyId', { type: () => ID }) bodyId: string,
    @Args('dnr', { type: () => String, nullable: true }) dnr?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): DocumentConnectionType {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    if (dnr != null && dnr.length > DOCUMENT_LIMITS.dnr) throw new InvalidInput(`dnr must be at most ${DOCUMENT_LIMITS.dnr} characters`);
    const size = pageSize(first);
    const page = this.reader.documentsOfBody(bodyId, dnr ?? null, size + 1, after ? decodeSeqCursor(after) : 0);
    const edges = page.slice(0, size).map((node) => ({ cursor: encodeSeqCursor(node.seq), node }));
    return { edges, pageInfo: { hasNextPage: page.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => BodyType) body(@Parent() document: DocumentType) {
    return this.bodies.body(document.bodyId);
  }

  @ResolveField(() => String) description(@Parent() document: DocumentView, @Context('request') request: RequestContext): string {
    return visibleDescription(document, request);
  }
}

@Resolver(() => CaseType)
export class CaseResolver {
  constructor(
    private readonly reader: DiariumReader,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
    private readonly delegation: DelegationReader,
  ) {}

  @Access('AUTHENTICATED')
  @Query(() => CaseType, {
    name: 'case',
    nullable: true,
    description: 'Everything filed under one diarienummer: of one body when bodyId is given (dnr are per body), else of every body. Null when nothing is.',
  })
  fileUnder(@Args('dnr', { type: () => String }) dnr: string, @Args('bodyId', { type: () => ID, nullable: true }) bodyId?: string): CaseView | null {
    if (dnr.trim() === '' || dnr.length > DOCUMENT_LIMITS.dnr) throw new InvalidInput(`dnr must be 1–${DOCUMENT_LIMITS.dnr} characters`);
    if (bodyId != null && !this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    const key = dnr.trim();
    const body = bodyId ?? null;
    const documents = this.reader.documentsFiledUnder(key, body);
    const { agendaItems, motions, decisions } = this.meetings.filedUnder(key, body);
    const delegatedDecisions = this.delegation.delegatedDecisionsFiledUnder(key, body);
    if (documents.length + agendaItems.length + motions.length + decisions.length + delegatedDecisions.length === 0) return null;
    const bodyIds = new Set([
      ...documents.map((document) => document.bodyId),
      ...decisions.map((decision) => decision.bodyId),
      ...delegatedDecisions.map((decision) => decision.bodyId),
      ...[...agendaItems, ...motions].map((item) => this.meetings.meeting(item.meetingId)?.bodyId).filter((id): id is string => id !== undefined),
    ]);
    return {
      dnr: key,
      bodyId: body ?? (bodyIds.size === 1 ? [...bodyIds][0] : null),
      documents,
      agendaItems,
      motions,
      decisions,
      delegatedDecisions,
    };
  }

  @ResolveField(() => BodyType, { nullable: true, description: 'The body the case is of; null when the dnr is used by several bodies and none was asked for.' })
  body(@Parent() found: CaseView) {
    return found.bodyId === null ? null : this.bodies.body(found.bodyId);
  }
}
