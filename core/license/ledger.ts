// The vendor's activation ledger: which machines (fingerprints) each licence is activated on. One
// SQLite file in WAL mode on the vendor's side; it is what enforces maxMachines, since an offline
// app cannot count the other machines a key was copied to.
import BetterSqlite3 from 'better-sqlite3';

export type Ledger = BetterSqlite3.Database;

const schemaVersion = 1;

export interface ActivationRecord {
  licenseId: string;
  fingerprint: string;
  firstActivatedAt: string;
  lastActivatedAt: string;
  /** How many activation files were issued for this machine. */
  activations: number;
  /** Set when the vendor released the slot; the machine no longer counts against maxMachines. */
  releasedAt: string | null;
}

export function openLedger(file: string): Ledger {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    // Low volume and the record of what was sold: make every commit durable.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(
        `The activation ledger ${file} is at schema version ${version}; this tool knows ${schemaVersion}.`,
      );
    }
    if (version < 1) {
      db.transaction(() => {
        db.exec(`
          CREATE TABLE activations (
            license_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            first_activated_at TEXT NOT NULL,
            last_activated_at TEXT NOT NULL,
            activations INTEGER NOT NULL DEFAULT 1,
            released_at TEXT,
            PRIMARY KEY (license_id, fingerprint)
          ) WITHOUT ROWID;
        `);
        db.pragma(`user_version = ${schemaVersion}`);
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

interface Row {
  license_id: string;
  fingerprint: string;
  first_activated_at: string;
  last_activated_at: string;
  activations: number;
  released_at: string | null;
}

const toRecord = (row: Row): ActivationRecord => ({
  licenseId: row.license_id,
  fingerprint: row.fingerprint,
  firstActivatedAt: row.first_activated_at,
  lastActivatedAt: row.last_activated_at,
  activations: row.activations,
  releasedAt: row.released_at,
});

export type RecordOutcome =
  { ok: true; record: ActivationRecord; newMachine: boolean } | { ok: false; activeMachines: number };

/**
 * Records an activation of `fingerprint` for the licence, unless that would exceed `maxMachines`
 * distinct active machines (null = no limit). A machine already active is always re-activated.
 * Runs in an IMMEDIATE transaction, so two vendor processes cannot both take the last slot.
 */
export function recordActivation(
  db: Ledger,
  entry: { licenseId: string; fingerprint: string; maxMachines: number | null; at: string },
): RecordOutcome {
  return db
    .transaction((): RecordOutcome => {
      const existing = db
        .prepare('SELECT * FROM activations WHERE license_id = ? AND fingerprint = ?')
        .get(entry.licenseId, entry.fingerprint) as Row | undefined;
      if (!existing || existing.released_at !== null) {
        const { active } = db
          .prepare('SELECT count(*) AS active FROM activations WHERE license_id = ? AND released_at IS NULL')
          .get(entry.licenseId) as { active: number };
        if (entry.maxMachines !== null && active >= entry.maxMachines)
          return { ok: false, activeMachines: active };
      }
      db.prepare(
        `INSERT INTO activations (license_id, fingerprint, first_activated_at, last_activated_at)
         VALUES (@licenseId, @fingerprint, @at, @at)
         ON CONFLICT (license_id, fingerprint) DO UPDATE SET
           last_activated_at = excluded.last_activated_at,
           activations = activations + 1,
           released_at = NULL`,
      ).run(entry);
      const row = db
        .prepare('SELECT * FROM activations WHERE license_id = ? AND fingerprint = ?')
        .get(entry.licenseId, entry.fingerprint) as Row;
      return { ok: true, record: toRecord(row), newMachine: !existing || existing.released_at !== null };
    })
    .immediate();
}

export function listLedger(db: Ledger, licenseId?: string): ActivationRecord[] {
  const rows = (
    licenseId === undefined
      ? db.prepare('SELECT * FROM activations ORDER BY license_id, first_activated_at').all()
      : db
          .prepare('SELECT * FROM activations WHERE license_id = ? ORDER BY first_activated_at')
          .all(licenseId)
  ) as Row[];
  return rows.map(toRecord);
}

/** Frees a machine's slot (the customer replaced the computer). Returns whether it was active. */
export function releaseInLedger(db: Ledger, licenseId: string, fingerprint: string, at: string): boolean {
  const result = db
    .prepare(
      'UPDATE activations SET released_at = ? WHERE license_id = ? AND fingerprint = ? AND released_at IS NULL',
    )
    .run(at, licenseId, fingerprint);
  return result.changes > 0;
}
