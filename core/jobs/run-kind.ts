// The kinds of heavy run that share a host's run queue; the contract's runs.* events re-export it.
import { z } from 'zod';

export const runKindSchema = z.enum(['backtest', 'optimize', 'import', 'train']);
export type RunKind = z.output<typeof runKindSchema>;
