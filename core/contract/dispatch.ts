// The one place every call passes through, whichever host it came from: name check, licence gate,
// input validation, handler, error shaping. Hosts only move bytes; they never call handlers directly.
import type { z } from 'zod';
import { calls, isCallName, type CallDeclaration, type CallName, type Calls } from './calls.ts';
import { AutobotError, zodIssuesToFieldIssues, type CallError } from './errors.ts';
import type { CallResult } from './result.ts';

export type Handlers = {
  [N in CallName]: (
    input: z.output<Calls[N]['input']>,
  ) => Promise<z.input<Calls[N]['output']>> | z.input<Calls[N]['output']>;
};

/** Decides whether a declared call may run now; returns the refusal or null. The licence plugs in here. */
export type CallGate = (
  name: CallName,
  declaration: CallDeclaration,
) => CallError | null | Promise<CallError | null>;

export const openGate: CallGate = () => null;

export interface DispatcherOptions {
  gate?: CallGate;
  /** Parse handler outputs against their schema too: on in tests, to catch a handler drifting from the contract. */
  checkOutputs?: boolean;
  onInternalError?: (name: string, error: unknown) => void;
}

export type Dispatch = (name: string, input: unknown) => Promise<CallResult>;

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  const gate = options.gate ?? openGate;
  return async (name, input) => {
    if (typeof name !== 'string' || !isCallName(name)) {
      return {
        ok: false,
        error: { code: 'unknown_call', message: `There is no call named "${String(name)}".` },
      };
    }
    const declaration: CallDeclaration = calls[name];
    try {
      const refusal = await gate(name, declaration);
      if (refusal) return { ok: false, error: refusal };

      const parsed = declaration.input.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: invalidInput(name, parsed.error.issues) };

      const handler = handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      if (!options.checkOutputs) return { ok: true, value };
      const checked = declaration.output.safeParse(value);
      if (!checked.success) {
        throw new Error(
          `handler for ${name} broke its output contract: ${JSON.stringify(checked.error.issues)}`,
        );
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AutobotError) return { ok: false, error: error.toCallError() };
      options.onInternalError?.(name, error);
      return {
        ok: false,
        error: { code: 'internal', message: `${name} failed unexpectedly; the details are in the log.` },
      };
    }
  };
}

function invalidInput(name: string, zodIssues: readonly z.core.$ZodIssue[]): CallError {
  const issues = zodIssuesToFieldIssues(zodIssues);
  const first = issues[0];
  const where = first && first.path ? `${first.path}: ` : '';
  return {
    code: 'invalid_input',
    message: `Invalid input for ${name}: ${where}${first?.message ?? 'invalid'}`,
    issues,
  };
}
