/**
 * Conversions between the client's generated protobuf messages and the fake's in-memory model.
 * Message classes come from the generated code shipped inside @eventstore/db-client.
 */
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { BadRequest, Empty, StreamIdentifier, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { AppendReq, BatchAppendReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { CurrentRevision, ExpectedRevision, ProposedEvent, RecordedEvent } from './event-log';

// google.protobuf.Any / Empty are needed for BatchAppend errors. They are loaded from where the
// client's generated code loads them (google-protobuf is the client's dependency, not ours), so the
// very same module instance is used; their types are taken from the generated declarations.
type AnyMessage = NonNullable<ReturnType<Status['getDetails']>>;
type EmptyMessage = NonNullable<ReturnType<WrongExpectedVersion['getExpectedAny']>>;
const requireFromGenerated = createRequire(require.resolve('@eventstore/db-client/generated/status_pb'));
const { Any } = requireFromGenerated('google-protobuf/google/protobuf/any_pb') as { Any: new () => AnyMessage };
export const { Empty: WellKnownEmpty } = requireFromGenerated('google-protobuf/google/protobuf/empty_pb') as {
  Empty: new () => EmptyMessage;
};

/** A gRPC error status as grpc-js accepts it from handlers. */
export type RpcError = Partial<grpc.StatusObject> & { code: grpc.status };

export function rpcError(code: grpc.status, details: string, metadata: Record<string, string> = {}): RpcError {
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return { code, details, metadata: md };
}

/** Passes gRPC statuses through; anything else thrown becomes INTERNAL. */
export function toRpcError(error: unknown): RpcError {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number') {
    return error as RpcError;
  }
  return rpcError(grpc.status.INTERNAL, error instanceof Error ? error.message : String(error));
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw rpcError(grpc.status.INVALID_ARGUMENT, 'stream identifier is required');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function uuidToString(uuid: UUID | undefined): string {
  if (!uuid) throw rpcError(grpc.status.INVALID_ARGUMENT, 'id is required');
  const structured = uuid.getStructured();
  if (!structured) return uuid.getString();
  const hex = (bits: string) => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0');
  const h = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidMessage(id: string, structured: boolean): UUID {
  if (!structured) return new UUID().setString(id);
  const hex = id.replace(/-/g, '');
  const bits = (part: string) => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  return new UUID().setStructured(
    new UUID.Structured()
      .setMostSignificantBits(bits(hex.slice(0, 16)))
      .setLeastSignificantBits(bits(hex.slice(16))),
  );
}

/** Reads a proposed message; EventStoreDB requires the `type` and `content-type` metadata entries. */
export function toProposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw rpcError(
      grpc.status.INVALID_ARGUMENT,
      `Required Metadata Property '${type === undefined ? 'type' : 'content-type'}' is missing`,
      { exception: 'missing-required-metadata-property', 'required-metadata-properties': 'type,content-type' },
    );
  }
  return {
    id: uuidToString(message.getId()),
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/**
 * A ReadResp carrying one event. `withCommitPosition` is set for $all reads/subscriptions, where
 * EventStoreDB reports the event's position in the log; stream reads carry `no_position`.
 */
export function eventResponse(event: RecordedEvent, withCommitPosition: boolean, structuredIds: boolean): ReadResp {
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.position.toString())
    .setCommitPosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  record
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.isJson ? 'application/json' : 'application/octet-stream')
    .set('created', event.created.toString());

  const readEvent = new ReadResp.ReadEvent().setEvent(record);
  if (withCommitPosition) readEvent.setCommitPosition(event.position.toString());
  else readEvent.setNoPosition(new Empty());
  return new ReadResp().setEvent(readEvent);
}

/** The error status BatchAppend answers with on a WrongExpectedVersion (details packed in an Any). */
export function wrongExpectedVersionStatus(expected: ExpectedRevision, current: CurrentRevision): Status {
  const details = new WrongExpectedVersion();
  if (current === 'no_stream') details.setCurrentNoStream(new WellKnownEmpty());
  else details.setCurrentStreamRevision(current.toString());
  if (expected === 'any') details.setExpectedAny(new WellKnownEmpty());
  else if (expected === 'no_stream') details.setExpectedNoStream(new WellKnownEmpty());
  else if (expected === 'stream_exists') details.setExpectedStreamExists(new WellKnownEmpty());
  else details.setExpectedStreamPosition(expected.toString());
  return packedStatus(Code.ALREADY_EXISTS, 'WrongExpectedVersion', 'event_store.client.WrongExpectedVersion', details);
}

/** The error status BatchAppend answers with when a request is malformed. */
export function badRequestStatus(message: string): Status {
  return packedStatus(Code.INVALID_ARGUMENT, message, 'event_store.client.BadRequest', new BadRequest().setMessage(message));
}

// The client unpacks `details` unconditionally, so every BatchAppend error status must carry one.
function packedStatus(code: Code, message: string, typeName: string, details: { serializeBinary(): Uint8Array }): Status {
  const any = new Any();
  any.pack(details.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}
