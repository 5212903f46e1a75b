/** One versioned schema change; core/storage/migrations.ts lists them in order. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
