// Secret names become file names in the operator's secrets directory: every valid name maps to
// one safe file name and back, and no file name can smuggle a path or claim another's secret.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secretFileName, secretNameOfFile } from '../../core/secrets/secret-dir-store.ts';

const nameCharacter = fc.constantFrom(
  ...'ABCXYZabcxyz0189._:@/-'.split(''),
  ...'DEFGHIJKLMNOPQRSTUVWdefghijklmnopqrstuvw234567'.split(''),
);
const validName = fc
  .tuple(fc.constantFrom(...'Aa0zZ9'.split('')), fc.array(nameCharacter, { maxLength: 60 }))
  .map(([first, rest]) => first + rest.join(''));

describe('secret names as file names', () => {
  it('round-trips every valid name through a file name made of safe characters only', () => {
    fc.assert(
      fc.property(validName, (name) => {
        const file = secretFileName(name);
        expect(file).toMatch(/^[A-Za-z0-9._%-]+$/);
        expect(file.startsWith('.')).toBe(false); // never hidden, never "." or ".."
        expect(secretNameOfFile(file)).toBe(name);
      }),
    );
  });

  it('gives distinct names distinct files', () => {
    fc.assert(
      fc.property(validName, validName, (a, b) => {
        fc.pre(a !== b);
        expect(secretFileName(a)).not.toBe(secretFileName(b));
      }),
    );
  });

  it('reads any file name as a secret only in its canonical spelling', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (file) => {
        const name = secretNameOfFile(file);
        if (name !== null) expect(secretFileName(name)).toBe(file);
      }),
    );
    expect(secretNameOfFile('oauth%2fctrader')).toBeNull(); // lower-case escape: not canonical
    expect(secretNameOfFile('..data')).toBeNull();
    expect(secretNameOfFile('.0b1c.tmp')).toBeNull();
    expect(secretNameOfFile('%2E%2E')).toBeNull();
  });

  it('refuses names that are not secret names, naming the field', () => {
    expect(() => secretFileName('../escape')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => secretFileName('')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
