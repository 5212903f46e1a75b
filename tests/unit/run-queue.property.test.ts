// The run queue as a state machine (core/jobs/run-queue.ts): random sequences of enqueue, finish,
// fail and cancel against a plain model. Whatever happens, no more slots are busy than the cap, runs
// start in the order they came, every waiting run was last told its true position, and every run
// ends exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutobotError } from '../../core/contract/errors.ts';
import { RunQueue, runKinds, type RunKind, type RunOutcome } from '../../core/jobs/run-queue.ts';

type Action =
  | { op: 'enqueue'; slots: number; kind: RunKind }
  | { op: 'finish'; pick: number; ok: boolean }
  | { op: 'cancel'; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    op: fc.constant('enqueue' as const),
    slots: fc.integer({ min: 1, max: 5 }),
    kind: fc.constantFrom(...runKinds),
  }),
  fc.record({ op: fc.constant('finish' as const), pick: fc.nat(), ok: fc.boolean() }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
);

interface Run {
  id: string;
  slots: number;
  controller: AbortController;
  finish(ok: boolean): void;
  settled: Promise<unknown>;
}

describe('the run queue', () => {
  it('keeps its cap, its order, its positions, and ends every run once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(action, { maxLength: 60 }),
        async (cap, actions) => {
          const started: string[] = [];
          const ended = new Map<string, RunOutcome[]>();
          const positions = new Map<string, number>();
          const queue = new RunQueue({
            capacity: cap,
            listener: {
              queued: ({ id, position }) => positions.set(id, position),
              started: ({ id }) => {
                started.push(id);
                positions.delete(id);
              },
              ended: ({ id, outcome }) => ended.set(id, [...(ended.get(id) ?? []), outcome]),
            },
          });
          // The model: runs waiting (in order) and running, by id.
          const waiting: Run[] = [];
          const running: Run[] = [];
          const enqueued: string[] = [];
          const cancelledWaiting = new Set<string>();
          let next = 0;

          const check = () => {
            expect(queue.busySlots).toBe(running.reduce((sum, run) => sum + Math.min(cap, run.slots), 0));
            expect(queue.busySlots).toBeLessThanOrEqual(cap);
            expect(queue.waiting).toEqual(waiting.map((run) => run.id));
            expect(queue.running).toBe(running.length);
            // The head waits only because it does not fit.
            if (waiting.length > 0)
              expect(queue.busySlots + Math.min(cap, waiting[0]!.slots)).toBeGreaterThan(cap);
            waiting.forEach((run, i) => expect(positions.get(run.id)).toBe(i + 1));
            // FIFO: the runs started are the runs enqueued, less those cancelled while waiting, in order.
            const startable = enqueued.filter((id) => !cancelledWaiting.has(id));
            expect(started).toEqual(startable.slice(0, started.length));
          };

          for (const step of actions) {
            if (step.op === 'enqueue') {
              const id = `r${next++}`;
              const controller = new AbortController();
              let finish!: (ok: boolean) => void;
              const work = () =>
                new Promise<string>((resolve, reject) => {
                  finish = (ok) => (ok ? resolve(id) : reject(new Error(`${id} failed`)));
                  controller.signal.addEventListener('abort', () =>
                    reject(new AutobotError('cancelled', `${id} cancelled`)),
                  );
                });
              const run: Run = {
                id,
                slots: step.slots,
                controller,
                finish: (ok) => finish(ok),
                settled: queue
                  .run({ id, kind: step.kind, slots: step.slots, signal: controller.signal }, work)
                  .catch(() => undefined),
              };
              enqueued.push(id);
              // Starts at once only when nobody waits and its slots are free.
              const busy = running.reduce((sum, r) => sum + Math.min(cap, r.slots), 0);
              if (waiting.length === 0 && busy + Math.min(cap, step.slots) <= cap) running.push(run);
              else waiting.push(run);
            } else {
              const pool = step.op === 'finish' ? running : [...running, ...waiting];
              if (pool.length === 0) continue;
              const run = pool[step.pick % pool.length]!;
              const wasWaiting = waiting.includes(run);
              if (step.op === 'finish') run.finish(step.ok);
              else run.controller.abort();
              await run.settled;
              if (wasWaiting) {
                cancelledWaiting.add(run.id);
                waiting.splice(waiting.indexOf(run), 1);
              } else running.splice(running.indexOf(run), 1);
              // Freed slots go to the head of the line, then the next, while they fit.
              let busy = running.reduce((sum, r) => sum + Math.min(cap, r.slots), 0);
              while (waiting.length > 0 && busy + Math.min(cap, waiting[0]!.slots) <= cap) {
                const head = waiting.shift()!;
                running.push(head);
                busy += Math.min(cap, head.slots);
              }
            }
            check();
          }

          // Drain: finish everything; every run then ended exactly once.
          while (running.length > 0) {
            const run = running.shift()!;
            run.finish(true);
            await run.settled;
            let busy = running.reduce((sum, r) => sum + Math.min(cap, r.slots), 0);
            while (waiting.length > 0 && busy + Math.min(cap, waiting[0]!.slots) <= cap) {
              const head = waiting.shift()!;
              running.push(head);
              busy += Math.min(cap, head.slots);
            }
            check();
          }
          expect(waiting).toEqual([]);
          expect([...ended.keys()].sort()).toEqual([...enqueued].sort());
          for (const outcomes of ended.values()) expect(outcomes).toHaveLength(1);
          for (const id of cancelledWaiting) expect(ended.get(id)).toEqual(['cancelled']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a cap that is not a whole number ≥ 1, naming maxRuns', () => {
    expect(() => new RunQueue({ capacity: 0 })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        issues: [expect.objectContaining({ path: 'maxRuns' })],
      }),
    );
  });
});
