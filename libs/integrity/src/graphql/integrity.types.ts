import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, PageInfoType } from '@kansli/api';

const BASE64 = 'base64 (RFC 4648, as C2SP checkpoints write hashes)';

@ObjectType('IntegrityReport', { description: "The tamper-evident log's state: its Merkle tree now and the latest signed checkpoint." })
export class IntegrityReportType {
  @Field({
    description:
      "The latest checkpoint's signature verifies with the log's key, its root is the tree's root at its size, and the tree now extends it " +
      '(a consistency proof). Checking every event against the tree is the offline `verify` of an export.',
  })
  verified!: boolean;

  @Field(() => String, { nullable: true, description: 'Why `verified` is false; null when it is true.' })
  problem!: string | null;

  @Field(() => Int, { description: 'Leaves in the tree now: every event of the log, in log order.' })
  size!: number;

  @Field({ description: `The tree's root now (RFC 9162 SHA-256), ${BASE64}.` })
  root!: string;

  @Field({ description: 'The latest signed checkpoint, as text (C2SP tlog-checkpoint signed note); empty while the log has no events.' })
  checkpoint!: string;

  @Field(() => Int, { description: "The latest checkpoint's tree size (0 while the log has no events)." })
  checkpointSize!: number;

  @Field({ description: "The installation's name: the checkpoints' origin line and the key's name." })
  origin!: string;

  @Field({ description: "The log's Ed25519 verifier key, as a C2SP vkey: <origin>+<key ID, 8 hex>+<base64(0x01 || 32-byte key)>." })
  publicKey!: string;
}

@ObjectType('Checkpoint', { description: 'A signed tree head of the log (C2SP tlog-checkpoint).' })
export class CheckpointType {
  @Field(() => Int, { description: 'Leaves in the signed tree.' }) size!: number;
  @Field({ description: `The signed root, ${BASE64}.` }) root!: string;
  @Field({ description: 'The signed note: origin, size, root, a blank line, the signature line(s).' }) note!: string;
  @Field(() => DateTimeScalar, { description: 'When the log signed it.' }) issuedAt!: string;
}

@ObjectType('CheckpointEdge')
export class CheckpointEdgeType {
  @Field() cursor!: string;
  @Field(() => CheckpointType) node!: CheckpointType;
}

@ObjectType('CheckpointConnection', { description: 'Checkpoints, newest first.' })
export class CheckpointConnectionType {
  @Field(() => [CheckpointEdgeType]) edges!: CheckpointEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('InclusionProof', {
  description:
    'That an event is leaf `leafIndex` of the tree of `treeSize` leaves (RFC 9162 2.1.3): hash `leafHash` with `hashes` up to `root`, ' +
    'and find that root in `checkpoint` (or, when the checkpoint is larger, check consistencyProof(treeSize, its size)).',
})
export class InclusionProofType {
  @Field(() => Int) leafIndex!: number;
  @Field(() => Int) treeSize!: number;
  @Field({ description: `SHA-256(0x00 || the event's RFC 8785 canonical JSON), ${BASE64}.` }) leafHash!: string;
  @Field(() => [String], { description: `The audit path, leaf side first, each ${BASE64}.` }) hashes!: string[];
  @Field({ description: `The root of the tree of treeSize leaves, ${BASE64}.` }) root!: string;
  @Field({ description: 'The signed checkpoint of treeSize leaves; when none was signed at exactly that size, the first one after it.' })
  checkpoint!: string;
  @Field(() => Int, { description: "That checkpoint's tree size." }) checkpointSize!: number;
}
