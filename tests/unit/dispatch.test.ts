import fc from 'fast-check';
import { describe, expect, it, vi, type Mock } from 'vitest';
import { licenseFeatures } from '../../core/contract/access.ts';
import { callNames, calls, type CallName } from '../../core/contract/calls.ts';
import { createDispatcher, type Handlers } from '../../core/contract/dispatch.ts';
import { AutobotError } from '../../core/contract/errors.ts';

function spyHandlers() {
  const handlers = Object.fromEntries(
    callNames.map((name) => [name, vi.fn(() => ({}))]),
  ) as unknown as Handlers;
  return handlers;
}

describe('the dispatcher', () => {
  it('property: any payload to any name yields a CallResult — never a throw, never a handler run on invalid input', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...callNames), fc.string()),
        fc.anything(),
        async (name, input) => {
          for (const spy of Object.values(handlers)) (spy as Mock).mockClear();
          const result = await dispatch(name, input);
          expect(typeof result.ok).toBe('boolean');
          const ran = callNames.filter((call) => (handlers[call] as Mock).mock.calls.length > 0);
          if (!result.ok && (result.error.code === 'invalid_input' || result.error.code === 'unknown_call')) {
            expect(ran).toEqual([]);
          } else {
            // Valid input reached exactly the handler it names, once.
            expect(ran).toEqual([name]);
            expect(handlers[name as CallName]).toHaveBeenCalledTimes(1);
          }
          if (!result.ok) {
            expect(['invalid_input', 'unknown_call', 'internal']).toContain(result.error.code);
            if (result.error.code === 'invalid_input') {
              expect(result.error.issues!.length).toBeGreaterThan(0);
              for (const issue of result.error.issues!) expect(typeof issue.path).toBe('string');
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('hands the handler the parsed input (trimmed, defaults applied), not the raw payload', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers);
    await dispatch('candles.get', { symbol: '  GOOG ', timeframe: '1d' });
    expect(handlers['candles.get']).toHaveBeenCalledWith({ symbol: 'GOOG', timeframe: '1d' });
  });

  it('runs the gate before validation, so a locked call reveals nothing about its schema', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers, {
      gate: (_name, declaration) =>
        declaration.access !== 'free' ? { code: 'license_required', message: 'no licence' } : null,
    });
    expect(await dispatch('vault.save', { nonsense: true })).toEqual({
      ok: false,
      error: { code: 'license_required', message: 'no licence' },
    });
    expect((await dispatch('app.info', {})).ok).toBe(true);
  });

  it('passes AutobotErrors through and hides other failures behind "internal"', async () => {
    const handlers = spyHandlers();
    const logged: unknown[] = [];
    handlers['candles.list'] = () => {
      throw new AutobotError('not_found', 'nothing here');
    };
    handlers['app.info'] = () => {
      throw new Error('secret stack detail');
    };
    const dispatch = createDispatcher(handlers, { onInternalError: (_n, e) => logged.push(e) });
    expect(await dispatch('candles.list', {})).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'nothing here' },
    });
    const internal = await dispatch('app.info', {});
    expect(internal).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app.info failed unexpectedly; the details are in the log.' },
    });
    expect(logged).toHaveLength(1);
  });

  it('every declared call has input and output schemas and an access tier', () => {
    for (const name of callNames) {
      const declaration = calls[name];
      const access = declaration.access;
      if (typeof access === 'string') expect(['free', 'licensed']).toContain(access);
      else expect(licenseFeatures).toContain(access.feature);
      expect(declaration.input.safeParse).toBeTypeOf('function');
      expect(declaration.output.safeParse).toBeTypeOf('function');
      expect(declaration.summary.length).toBeGreaterThan(10);
    }
  });
});
