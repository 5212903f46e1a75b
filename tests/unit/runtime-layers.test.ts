// The runtime's layering, checked on the source: core/domain is the bottom module (it imports
// nothing else from the core, so the contract, storage and engines can all import it), and no
// migration file imports another migration (only the Migration type from migration.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const core = path.resolve(import.meta.dirname, '..', '..', 'core');

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

describe('runtime layers', () => {
  it('core/domain imports only itself and Node', () => {
    const dir = path.join(core, 'domain');
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) =>
        importsOf(path.join(dir, name))
          .filter((target) => target.startsWith('.') && !target.startsWith('./'))
          .map((target) => `${name} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no migration file imports another migration', () => {
    const dir = path.join(core, 'storage');
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith('-migration.ts'))
      .flatMap((name) =>
        importsOf(path.join(dir, name))
          .filter((target) => /migration/.test(target) && target !== './migration.ts')
          .map((target) => `${name} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });
});
