// The one client every page uses: typed by the contract, unaware of which host answers.
import {
  inlineCsvMaxBytes,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../../core/contract/calls.ts';
import type { CallError } from '../../../core/contract/errors.ts';
import type { CallResult } from '../../../core/contract/result.ts';
import { bridgeTransport, findPreloadBridge } from './bridge-transport.ts';
import { httpTransport } from './http-transport.ts';
import type { Transport } from './transport.ts';

/** A refused call, carrying the core's error value (code, message, field issues) for the UI. */
export class CallFailure extends Error {
  readonly error: CallError;

  constructor(error: CallError) {
    super(error.message);
    this.name = 'CallFailure';
    this.error = error;
  }
}

function pickTransport(): Transport {
  const bridge = findPreloadBridge();
  return bridge ? bridgeTransport(bridge) : httpTransport();
}

const transport = pickTransport();

export const api = {
  host: transport.kind,

  /** The raw result: for pages that show refusals inline rather than as exceptions. */
  result<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<CallOutput<N>>> {
    return transport.call(name, input) as Promise<CallResult<CallOutput<N>>>;
  },

  /** The value, or a thrown CallFailure. */
  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await api.result(name, input);
    if (!result.ok) throw new CallFailure(result.error);
    return result.value;
  },

  /**
   * A file as candles.import takes it: streamed to the headless host ({ upload }), or in the
   * desktop app its text ({ csv }) up to 16 MiB — larger files there go through
   * `autobot data import --csv FILE` (docs/data.md).
   */
  async upload(file: File): Promise<{ upload: string } | { csv: string }> {
    if (transport.upload) {
      const result = await transport.upload(file);
      if (!result.ok) throw new CallFailure(result.error);
      return { upload: result.value.upload };
    }
    if (file.size > inlineCsvMaxBytes) {
      throw new CallFailure({
        code: 'payload_too_large',
        message: `${file.name} is larger than 16 MiB: import it with \`autobot data import --csv "${file.name}"\` (the same data folder as this app).`,
      });
    }
    return { csv: await file.text() };
  },

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    return transport.subscribe((eventName, payload) => {
      if (eventName === name) listener(payload as EventPayload<N>);
    });
  },
};

/** A sentence for people, with the field issues when the core named them. */
export function describeError(error: unknown): string {
  if (error instanceof CallFailure) {
    const { message, issues } = error.error;
    if (!issues?.length) return message;
    return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
