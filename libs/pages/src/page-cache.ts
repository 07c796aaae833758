import type Database from 'better-sqlite3';
import { statement } from '@kansli/projections';

const ENTRIES = 1_000;

/**
 * Rendered pages, kept until the read models change: the version is SQLite's count of rows this connection has
 * changed (`total_changes()`), which every projected event (and nothing else a page shows) moves, and the day,
 * which decides what is up on the anslagstavla and a protocol's status. A page costs one cheap query while
 * nothing is written; any write renders it afresh.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; body: Buffer }>();

  constructor(private readonly db: Database.Database) {}

  version(today: string): string {
    const { changes } = statement(this.db, 'SELECT total_changes() AS changes').get() as { changes: number };
    return `${changes}|${today}`;
  }

  /** The page as bytes: a page served from here is not encoded again. */
  page(key: string, today: string, render: () => string): Buffer {
    const hit = this.entries.get(key);
    if (hit && hit.version === this.version(today)) return hit.body;
    const body = Buffer.from(render());
    // The version after rendering: a page may sign a checkpoint as it renders (the first to hold a justering).
    if (this.entries.size >= ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { version: this.version(today), body });
    return body;
  }
}
