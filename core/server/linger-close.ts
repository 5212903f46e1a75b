// Closing a connection while the client is still sending makes the kernel answer with a reset, and a
// reset can reach the client before it has read our answer: an upload refused with 413 then looks to
// the client like a broken pipe (EPIPE / ECONNRESET) instead of payload_too_large. Servers such as
// nginx close "lingeringly": send the answer, half-close, keep reading and discarding what still
// arrives for a short while, then close. This does the same for one refused request's socket, in place
// of Node's own close after a `connection: close` answer.
import type { Socket } from 'node:net';

/** Most time the rest of a refused upload is read and discarded before the socket is closed anyway. */
export const lingerMs = 5_000;

export function closeLingeringly(socket: Socket): void {
  // Node's HTTP server ends a `connection: close` answer with socket.destroySoon(); after the answer,
  // half-close instead and drain until the client hangs up or the linger time is over.
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.on('error', () => this.destroy());
    this.end();
    this.resume();
  };
}
