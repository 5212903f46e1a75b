// What one schema change is. Its own file so each migration file and the ordered list
// (migrations.ts) import it without importing each other.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
