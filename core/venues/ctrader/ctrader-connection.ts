// One TLS WebSocket to a cTrader endpoint and what keeps it honest: a heartbeat sent at least every
// 10 s; silence from the server for too long treated as a dead connection (closed, so the venue
// reconnects); every request given a clientMsgId and matched to its answer, with a timeout; the
// rate limits kept, and REQUEST_FREQUENCY_EXCEEDED answered by waiting `retryAfter` then sending
// again (the venue did not take the request, so sending it again is safe).
// A connection lives once: after close the venue opens a new one and authenticates again.
import type WebSocket from 'ws';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.ts';
import { errorCodeName } from './error-codes.ts';
import { historyRequests, PayloadType } from './payload-types.ts';
import { ctraderRateLimits, RateLimiter, type RateLimits } from './rate-limiter.ts';
import { endpointName, openTlsWebSocket, type Endpoint, type TlsWebSocketOptions } from './tls-websocket.ts';

export interface ConnectionOptions extends TlsWebSocketOptions {
  /** How often we send a heartbeat; cTrader wants one at least every 10 s. */
  heartbeatMs?: number | undefined;
  /** Nothing received for this long (the server heartbeats every 10 s): the connection is dead. */
  silenceMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  limits?: RateLimits | undefined;
  /** How many times a request refused with retryAfter is sent again. */
  maxRateLimitRetries?: number | undefined;
}

/** The venue answered a request with ErrorRes or OAErrorRes. */
export class CTraderRequestError extends Error {
  readonly errorCode: string;
  readonly retryAfterMs: number | undefined;

  constructor(errorCode: string, description: string, retryAfterMs?: number) {
    super(`cTrader refused: ${errorCode}${description ? ` — ${description}` : ''}`);
    this.name = 'CTraderRequestError';
    this.errorCode = errorCode;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The request was sent but no answer came: it may or may not have taken effect. */
export class CTraderNoAnswerError extends Error {
  readonly why: 'timeout' | 'disconnected';
  constructor(why: 'timeout' | 'disconnected', message: string) {
    super(message);
    this.name = 'CTraderNoAnswerError';
    this.why = why;
  }
}

/** Nothing was sent: the connection was already closed. */
export class CTraderNotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CTraderNotConnectedError';
  }
}

interface Pending {
  resolve: (envelope: Envelope) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class CTraderConnection {
  readonly endpoint: string;
  readonly #socket: WebSocket;
  readonly #limiter: RateLimiter;
  readonly #pending = new Map<string, Pending>();
  readonly #eventListeners = new Set<(envelope: Envelope) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  readonly #requestTimeoutMs: number;
  readonly #maxRetries: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #lastReceived = Date.now();
  #nextId = 1;
  #closeReason: string | null = null;

  static async open(endpoint: Endpoint, options: ConnectionOptions = {}): Promise<CTraderConnection> {
    const socket = await openTlsWebSocket(endpoint, options);
    return new CTraderConnection(endpointName(endpoint), socket, options);
  }

  private constructor(endpoint: string, socket: WebSocket, options: ConnectionOptions) {
    this.endpoint = endpoint;
    this.#socket = socket;
    this.#limiter = new RateLimiter(options.limits ?? ctraderRateLimits);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#maxRetries = options.maxRateLimitRetries ?? 3;
    const heartbeatMs = Math.min(options.heartbeatMs ?? 9_000, 10_000);
    const silenceMs = options.silenceMs ?? 30_000;
    socket.on('message', (data) => this.#receive(String(data)));
    socket.on('close', (code) => this.#closed(`the server closed the connection (${code})`));
    socket.on('error', (error) => this.#closed(`connection error: ${error.message}`));
    this.#timers.push(
      setInterval(() => this.#sendRaw({ payloadType: PayloadType.heartbeatEvent, payload: {} }), heartbeatMs),
      setInterval(
        () => {
          if (Date.now() - this.#lastReceived > silenceMs)
            this.close(`no heartbeat from ${endpoint} for ${silenceMs / 1000} s`);
        },
        Math.max(50, Math.floor(silenceMs / 4)),
      ),
    );
  }

  get closed(): boolean {
    return this.#closeReason !== null;
  }

  /** Unsolicited messages (spots, executions, order errors, token invalidation) — and answers that are events. */
  onEvent(listener: (envelope: Envelope) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /**
   * Sends a request and resolves with its answer (the message carrying the same clientMsgId).
   * Rejects with CTraderRequestError when refused, CTraderNoAnswerError when no answer came.
   */
  async request(payloadType: number, payload: Record<string, unknown>): Promise<Envelope> {
    for (let attempt = 0; ; attempt++) {
      await this.#limiter.acquire(historyRequests.has(payloadType));
      try {
        return await this.#once(payloadType, payload);
      } catch (error) {
        if (
          error instanceof CTraderRequestError &&
          error.errorCode === 'REQUEST_FREQUENCY_EXCEEDED' &&
          attempt < this.#maxRetries
        ) {
          this.#limiter.pauseUntil(Date.now() + (error.retryAfterMs ?? 1000));
          continue;
        }
        if (error instanceof CTraderRequestError && error.retryAfterMs !== undefined)
          this.#limiter.pauseUntil(Date.now() + error.retryAfterMs);
        throw error;
      }
    }
  }

  close(reason = 'closed by us'): void {
    if (this.#closeReason !== null) return;
    this.#socket.terminate();
    this.#closed(reason);
  }

  #once(payloadType: number, payload: Record<string, unknown>): Promise<Envelope> {
    if (this.#closeReason !== null)
      return Promise.reject(
        new CTraderNotConnectedError(`not connected to ${this.endpoint}: ${this.#closeReason}`),
      );
    const clientMsgId = `m${this.#nextId++}`;
    return new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(clientMsgId);
        reject(
          new CTraderNoAnswerError(
            'timeout',
            `no answer from ${this.endpoint} to message ${payloadType} within ${this.#requestTimeoutMs / 1000} s`,
          ),
        );
      }, this.#requestTimeoutMs);
      this.#pending.set(clientMsgId, { resolve, reject, timer });
      this.#sendRaw({ clientMsgId, payloadType, payload });
    });
  }

  #sendRaw(envelope: Envelope): void {
    if (this.#closeReason === null) this.#socket.send(encodeEnvelope(envelope));
  }

  #receive(text: string): void {
    this.#lastReceived = Date.now();
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(text);
    } catch {
      return; // a message we cannot read is not worth the connection; heartbeats judge liveness
    }
    if (envelope.payloadType === PayloadType.heartbeatEvent) return;
    const pending = envelope.clientMsgId === undefined ? undefined : this.#pending.get(envelope.clientMsgId);
    if (pending) {
      this.#pending.delete(envelope.clientMsgId!);
      clearTimeout(pending.timer);
      if (envelope.payloadType === PayloadType.errorRes || envelope.payloadType === PayloadType.oaErrorRes) {
        pending.reject(requestError(envelope.payload));
        return;
      }
      pending.resolve(envelope);
      // An execution answering a trading request is also an event of the order. An order error
      // answering one is not: the request's caller reports it (so it is counted once).
      if (envelope.payloadType !== PayloadType.executionEvent) return;
    }
    for (const listener of this.#eventListeners) listener(envelope);
  }

  #closed(reason: string): void {
    if (this.#closeReason !== null) return;
    this.#closeReason = reason;
    for (const timer of this.#timers) clearInterval(timer);
    for (const [, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new CTraderNoAnswerError(
          'disconnected',
          `connection to ${this.endpoint} lost before the answer: ${reason}`,
        ),
      );
    }
    this.#pending.clear();
    for (const listener of this.#closeListeners) listener(reason);
  }
}

function requestError(payload: Record<string, unknown>): CTraderRequestError {
  const retryAfter = Number(payload.retryAfter);
  return new CTraderRequestError(
    errorCodeName(payload.errorCode),
    typeof payload.description === 'string' ? payload.description : '',
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
