import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { timelineProjection } from '@kansli/audit';
import { bodiesProjection } from '@kansli/bodies';
import { budgetProjection } from '@kansli/budget';
import { delegationProjection } from '@kansli/delegation';
import { diariumProjection } from '@kansli/diarium';
import { meetingsProjection } from '@kansli/meetings';
import type { Projection } from '@kansli/projections';

/**
 * Every read model of the server, in one list: the server registers these (ReadModelsModule) and `rebuild`
 * rebuilds these. A new context adds its projections here when it joins AppModule.
 */
export const readModelProjections: readonly Projection[] = [bodiesProjection, meetingsProjection, delegationProjection, budgetProjection, diariumProjection, timelineProjection];

/** The replica's read-model database in the data folder (scale-out mode). */
export const REPLICA_READ_MODELS = 'read-models.db';

/**
 * WAL mode: readers do not wait for the subscription's writes, and the open connection holds a shared lock on
 * the file, so that `rebuild` can tell that a server is running. synchronous = NORMAL: a commit is not synced
 * to the disk by itself, so a power cut can take back the last few applied events, together with the checkpoint
 * they moved (one transaction); the replica then applies them again from the log, which keeps them. What it
 * saves is a sync per event applied.
 */
export function openReplicaReadModels(filename: string): Database.Database {
  mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
