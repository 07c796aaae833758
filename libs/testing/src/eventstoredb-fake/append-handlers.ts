/**
 * Streams.Append (client streaming: options, then proposed messages) and Streams.BatchAppend
 * (bidirectional: chunks keyed by correlation id, the last one flagged is_final) of the fake.
 */
import * as grpc from '@grpc/grpc-js';
import { AllStreamPosition, Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, EventLog, ExpectedRevision, ProposedEvent } from './event-log';
import {
  badRequestStatus,
  rpcError,
  streamIdentifier,
  streamNameOf,
  toProposedEvent,
  toRpcError,
  uuidToString,
  WellKnownEmpty,
  wrongExpectedVersionStatus,
} from './proto';

export function appendHandler(log: EventLog): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let failure: unknown;

    call.on('data', (request: AppendReq) => {
      if (failure !== undefined) return;
      try {
        if (!options) {
          options = request.getOptions();
          if (!options) throw rpcError(grpc.status.INVALID_ARGUMENT, 'the first append message must carry options');
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw rpcError(grpc.status.INVALID_ARGUMENT, 'expected a proposed message');
        proposed.push(toProposedEvent(message));
      } catch (error) {
        failure = error;
      }
    });

    call.on('end', () => {
      if (call.cancelled) return;
      try {
        if (failure !== undefined) throw failure;
        if (!options) throw rpcError(grpc.status.INVALID_ARGUMENT, 'append options are required');
        const outcome = log.append(streamNameOf(options.getStreamIdentifier()), appendExpectation(options), proposed);
        callback(null, toAppendResp(outcome));
      } catch (error) {
        callback(toRpcError(error));
      }
    });
  };
}

export function batchAppendHandler(log: EventLog): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, { streamId: string; expected: ExpectedRevision; events: ProposedEvent[] }>();

    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      if (!correlationId) {
        call.emit('error', rpcError(grpc.status.INVALID_ARGUMENT, 'correlation id is required'));
        return;
      }
      const key = uuidToString(correlationId);
      const response = new BatchAppendResp().setCorrelationId(correlationId);
      try {
        const options = request.getOptions();
        if (options) {
          const streamId = streamNameOf(options.getStreamIdentifier());
          pending.set(key, { streamId, expected: batchAppendExpectation(options), events: [] });
        }
        const write = pending.get(key);
        if (!write) return; // like EventStoreDB: chunks for an unknown correlation id are ignored
        response.setStreamIdentifier(streamIdentifier(write.streamId));
        write.events.push(...request.getProposedMessagesList().map(toProposedEvent));
        if (!request.getIsFinal()) return;

        pending.delete(key);
        const outcome = log.append(write.streamId, write.expected, write.events);
        if (outcome.kind === 'success') response.setSuccess(toBatchSuccess(outcome));
        else response.setError(wrongExpectedVersionStatus(outcome.expected, outcome.current));
      } catch (error) {
        pending.delete(key);
        response.setError(badRequestStatus(toRpcError(error).details ?? 'bad request'));
      }
      if (!call.cancelled) call.write(response);
    });

    call.on('end', () => call.end());
  };
}

function appendExpectation(options: AppendReq.Options): ExpectedRevision {
  const Case = AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return BigInt(options.getRevision());
    case Case.NO_STREAM:
      return 'no_stream';
    case Case.ANY:
      return 'any';
    case Case.STREAM_EXISTS:
      return 'stream_exists';
    default:
      throw rpcError(grpc.status.INVALID_ARGUMENT, 'expected stream revision is required');
  }
}

function batchAppendExpectation(options: BatchAppendReq.Options): ExpectedRevision {
  const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return BigInt(options.getStreamPosition());
    case Case.NO_STREAM:
      return 'no_stream';
    case Case.ANY:
      return 'any';
    case Case.STREAM_EXISTS:
      return 'stream_exists';
    default:
      throw rpcError(grpc.status.INVALID_ARGUMENT, 'expected stream position is required');
  }
}

function toAppendResp(outcome: AppendOutcome): AppendResp {
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision === 'no_stream') success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return new AppendResp().setSuccess(success);
  }

  // An append that fails its expectation is not a gRPC error: it is a normal response.
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  if (outcome.expected === 'any') wrong.setExpectedAny(new Empty());
  else if (outcome.expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (outcome.expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedRevision(outcome.expected.toString());
  return new AppendResp().setWrongExpectedVersion(wrong);
}

function toBatchSuccess(outcome: Extract<AppendOutcome, { kind: 'success' }>): BatchAppendResp.Success {
  const success = new BatchAppendResp.Success();
  if (outcome.currentRevision === 'no_stream') success.setNoStream(new WellKnownEmpty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === undefined) success.setNoPosition(new WellKnownEmpty());
  else {
    const position = outcome.position.toString();
    success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
  }
  return success;
}
