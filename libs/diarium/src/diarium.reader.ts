import type Database from 'better-sqlite3';
import { statement } from '@kansli/projections';
import type { DocumentDirection } from './document.events';

export interface DocumentView {
  id: string;
  seq: number;
  bodyId: string;
  dnr: string;
  registeredAt: string;
  date: string;
  direction: DocumentDirection;
  counterpart: string | null;
  description: string;
  secrecy: string | null;
}

export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  createdAt: string;
  /** The log position of its creation: it delivers the events after it. */
  createdPosition: bigint;
  active: boolean;
  deleted: boolean;
  disabledReason: string | null;
}

interface DocumentRow {
  id: string; seq: number; body_id: string; dnr: string; registered_at: string; date: string; direction: DocumentDirection;
  counterpart: string | null; description: string; secrecy: string | null;
}
interface WebhookRow {
  id: string; url: string; event_types: string; created_at: string; created_position: string; active: number; deleted_at: string | null; disabled_reason: string | null;
}

const toDocument = (r: DocumentRow): DocumentView => ({
  id: r.id,
  seq: r.seq,
  bodyId: r.body_id,
  dnr: r.dnr,
  registeredAt: r.registered_at,
  date: r.date,
  direction: r.direction,
  counterpart: r.counterpart,
  description: r.description,
  secrecy: r.secrecy,
});

const toWebhook = (r: WebhookRow): WebhookView => ({
  id: r.id,
  url: r.url,
  eventTypes: JSON.parse(r.event_types) as string[],
  createdAt: r.created_at,
  createdPosition: BigInt(r.created_position),
  active: r.active === 1,
  deleted: r.deleted_at !== null,
  disabledReason: r.disabled_reason,
});

/** Queries over the diarium's read models. */
export class DiariumReader {
  constructor(private readonly db: Database.Database) {}

  document(id: string): DocumentView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_documents WHERE id = ?').get(id) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  /** A body's documents in the order registered (of one dnr if given), after the one at `afterSeq`. */
  documentsOfBody(bodyId: string, dnr: string | null, first: number, afterSeq = 0): DocumentView[] {
    const rows = statement(this.db, 'SELECT * FROM rm_documents WHERE body_id = ? AND (? IS NULL OR dnr = ?) AND seq > ? ORDER BY seq LIMIT ?')
      .all(bodyId, dnr, dnr, afterSeq, first) as DocumentRow[];
    return rows.map(toDocument);
  }

  /** The documents filed under a dnr, of one body or of every body, in the order registered. */
  documentsFiledUnder(dnr: string, bodyId: string | null): DocumentView[] {
    return (statement(this.db, 'SELECT * FROM rm_documents WHERE dnr = ? AND (? IS NULL OR body_id = ?) ORDER BY seq').all(dnr, bodyId, bodyId) as DocumentRow[]).map(toDocument);
  }

  /** Every diarienummer of a body's documents, with the earliest document date under it. */
  dnrsOfBody(bodyId: string): Array<{ dnr: string; firstDate: string }> {
    return statement(this.db, 'SELECT dnr, min(date) AS firstDate FROM rm_documents WHERE body_id = ? GROUP BY dnr ORDER BY dnr').all(bodyId) as Array<{ dnr: string; firstDate: string }>;
  }

  webhook(id: string): WebhookView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row && toWebhook(row);
  }

  /** The webhooks not deleted, oldest first. */
  webhooks(): WebhookView[] {
    return (statement(this.db, 'SELECT * FROM rm_webhooks WHERE deleted_at IS NULL ORDER BY seq').all() as WebhookRow[]).map(toWebhook);
  }
}
