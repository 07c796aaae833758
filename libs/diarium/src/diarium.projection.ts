import { statement, type Projection } from '@kansli/projections';
import type { DocumentEvent } from './document.events';
import type { WebhookEvent } from './webhook.events';

/**
 * The diarium's read models: the registered documents, and the webhooks with whether they deliver. `seq` keeps the
 * order of registration; a webhook keeps the log position of its creation, where its deliveries begin. Reads only
 * the event: a rebuild gives the same rows.
 */
export const diariumProjection: Projection = {
  name: 'diarium',
  eventTypes: ['DocumentRegistered', 'WebhookCreated', 'WebhookDeleted', 'WebhookDisabled', 'WebhookEnabled'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_documents (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, body_id TEXT NOT NULL, dnr TEXT NOT NULL, registered_at TEXT NOT NULL, date TEXT NOT NULL,
        direction TEXT NOT NULL, counterpart TEXT, description TEXT NOT NULL, secrecy TEXT);
      CREATE INDEX IF NOT EXISTS rm_documents_body ON rm_documents (body_id, seq);
      CREATE INDEX IF NOT EXISTS rm_documents_dnr ON rm_documents (dnr, body_id, seq);
      CREATE TABLE IF NOT EXISTS rm_webhooks (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, url TEXT NOT NULL, event_types TEXT NOT NULL, created_at TEXT NOT NULL,
        created_position TEXT NOT NULL, active INTEGER NOT NULL, deleted_at TEXT, disabled_reason TEXT);
    `);
  },
  apply(db, recorded) {
    const event = recorded as unknown as DocumentEvent | WebhookEvent;
    switch (event.type) {
      case 'DocumentRegistered': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO rm_documents (id, seq, body_id, dnr, registered_at, date, direction, counterpart, description, secrecy)
           VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM rm_documents), ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(d.documentId, d.bodyId, d.dnr, d.registeredAt, d.date, d.direction, d.counterpart, d.description, d.secrecy);
        return;
      }
      case 'WebhookCreated': {
        const d = event.data;
        statement(
          db,
          `INSERT INTO rm_webhooks (id, seq, url, event_types, created_at, created_position, active)
           VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM rm_webhooks), ?, ?, ?, ?, 1)`,
        ).run(d.webhookId, d.url, JSON.stringify(d.eventTypes), d.createdAt, recorded.position.toString());
        return;
      }
      case 'WebhookDeleted':
        statement(db, 'UPDATE rm_webhooks SET active = 0, deleted_at = ? WHERE id = ?').run(event.data.deletedAt, event.data.webhookId);
        return;
      case 'WebhookDisabled':
        statement(db, 'UPDATE rm_webhooks SET active = 0, disabled_reason = ? WHERE id = ?').run(event.data.reason, event.data.webhookId);
        return;
      case 'WebhookEnabled':
        statement(db, 'UPDATE rm_webhooks SET active = 1, disabled_reason = NULL WHERE id = ?').run(event.data.webhookId);
        return;
    }
  },
};
