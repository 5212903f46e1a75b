// The bot store: each bot's definition, status and checkpoint in SQLite (bots-migration.ts). The
// status is the supervisor's record of intent: a bot still `running` when the app starts was
// running when it stopped (closed or killed), so the supervisor resumes it.
import {
  botDefinitionSchema,
  type BotDefinition,
  type BotSource,
  type BotStatus,
} from '../contract/bots-calls.ts';
import type { Database } from '../storage/database.ts';

export interface BotRecord {
  id: number;
  name: string;
  createdAt: string;
  definition: BotDefinition;
  status: BotStatus;
  statusAt: string;
  message: string | null;
  createdFrom: BotSource | null;
  ghostOf: number | null;
  lastBarTime: number | null;
  bars: number;
}

interface BotRow {
  id: number;
  name: string;
  created_at: string;
  definition: string;
  status: BotStatus;
  status_at: string;
  message: string | null;
  created_from: string | null;
  ghost_of: number | null;
  last_bar_time: number | null;
  bars: number;
}

/** The journal owner of a bot's orders: "bot-<id>". */
export function botOwner(id: number): string {
  return `bot-${id}`;
}

/** The bot id of a journal owner (botOwner's inverse); null for an owner that is not a bot's. */
export function botIdOfOwner(owner: string): number | null {
  const match = /^bot-(\d+)$/.exec(owner);
  return match === null ? null : Number(match[1]);
}

export class BotStore {
  private readonly db: Database;
  private readonly checkpointStatement;

  constructor(db: Database) {
    this.db = db;
    this.checkpointStatement = db.prepare('UPDATE bots SET last_bar_time = ?, bars = ? WHERE id = ?');
  }

  create(
    definition: BotDefinition,
    options: { createdFrom?: BotSource | null; ghostOf?: number | null; now?: Date } = {},
  ): BotRecord {
    const at = (options.now ?? new Date()).toISOString();
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO bots (name, created_at, definition, status, status_at, created_from, ghost_of)
         VALUES (?, ?, ?, 'created', ?, ?, ?)`,
      )
      .run(
        definition.name,
        at,
        JSON.stringify(definition),
        at,
        options.createdFrom ? JSON.stringify(options.createdFrom) : null,
        options.ghostOf ?? null,
      );
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): BotRecord | null {
    const row = this.db.prepare('SELECT * FROM bots WHERE id = ?').get(id) as BotRow | undefined;
    return row === undefined ? null : fromRow(row);
  }

  list(): BotRecord[] {
    return (this.db.prepare('SELECT * FROM bots ORDER BY id').all() as BotRow[]).map(fromRow);
  }

  /** Ghosts shadowing `id`. */
  ghostsOf(id: number): BotRecord[] {
    return (this.db.prepare('SELECT * FROM bots WHERE ghost_of = ? ORDER BY id').all(id) as BotRow[]).map(
      fromRow,
    );
  }

  setStatus(id: number, status: BotStatus, message: string | null = null, now = new Date()): void {
    this.db
      .prepare('UPDATE bots SET status = ?, message = ?, status_at = ? WHERE id = ?')
      .run(status, message, now.toISOString(), id);
  }

  /** The last bar the bot finished: a restart resumes after it. */
  checkpoint(id: number, lastBarTime: number, bars: number): void {
    this.checkpointStatement.run(lastBarTime, bars, id);
  }

  /** Replaces a bot's definition (callers check it may change: bot-supervisor.ts). */
  setDefinition(id: number, definition: BotDefinition): void {
    this.db.prepare('UPDATE bots SET definition = ? WHERE id = ?').run(JSON.stringify(definition), id);
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM bots WHERE id = ?').run(id).changes > 0;
  }
}

function fromRow(row: BotRow): BotRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    // Parsed again so a definition written by an older version gains the newer fields' defaults.
    definition: botDefinitionSchema.parse(JSON.parse(row.definition)),
    status: row.status,
    statusAt: row.status_at,
    message: row.message,
    createdFrom: row.created_from === null ? null : (JSON.parse(row.created_from) as BotSource),
    ghostOf: row.ghost_of,
    lastBarTime: row.last_bar_time,
    bars: row.bars,
  };
}
