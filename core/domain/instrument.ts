// What can be traded and in what increments, as a venue describes it (ccxt's `market.precision` and
// `market.limits`, cTrader's symbol digits and lot steps). Precision comes from this description,
// never from guesses: a venue that describes its instruments is believed; for imported data without
// a venue, detect-precision.ts reads the decimals the prices actually carry.
import { decimalsOf, maxDecimals } from './decimals.ts';

export interface Instrument {
  /** As the venue spells it: "BTC/USDT", "EURUSD", "GOOG". */
  readonly symbol: string;
  /** The venue id: "simulated", "binance", "ctrader-demo"… */
  readonly venue: string;
  /** Smallest price increment: 0.01 for shares, 0.00001 for EURUSD. */
  readonly tickSize: number;
  /** Smallest quantity increment: 1 share, 0.00001 BTC, 1,000 units of a micro lot. */
  readonly quantityStep: number;
  /** Smallest quantity an order may have (at least one step). */
  readonly minQuantity: number;
  /** Smallest quantity × price an order may have; 0 = no minimum. */
  readonly minNotional: number;
  /** Decimals prices are shown and sent with (at least the tick size's). */
  readonly priceDecimals: number;
  /** Decimals quantities are shown and sent with (at least the step's). */
  readonly quantityDecimals: number;
}

/** What a venue or the user states; the rest is derived. A tick size or price decimals is required. */
export interface InstrumentSpec {
  symbol: string;
  venue: string;
  tickSize?: number | undefined;
  priceDecimals?: number | undefined;
  /** Defaults to 10^−quantityDecimals, or 1 (whole units) when neither is given. */
  quantityStep?: number | undefined;
  quantityDecimals?: number | undefined;
  /** Defaults to one quantity step. */
  minQuantity?: number | undefined;
  /** Defaults to 0. */
  minNotional?: number | undefined;
}

export interface InstrumentIssue {
  /** The offending field of the spec. */
  path: string;
  message: string;
}

/** A spec that cannot describe an instrument; `issues` names every bad field (the contract maps it to invalid_input). */
export class InstrumentError extends RangeError {
  readonly issues: InstrumentIssue[];

  constructor(issues: InstrumentIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.name = 'InstrumentError';
    this.issues = issues;
  }
}

/** Validates a spec and fills in what it leaves out. Throws InstrumentError naming each bad field. */
export function defineInstrument(spec: InstrumentSpec): Instrument {
  const issues: InstrumentIssue[] = [];
  if (spec.symbol.trim() === '') issues.push({ path: 'symbol', message: 'symbol is required' });
  if (spec.venue.trim() === '') issues.push({ path: 'venue', message: 'venue is required' });
  const price = increment(spec.tickSize, spec.priceDecimals, 'tickSize', 'priceDecimals', issues);
  const quantity = increment(
    spec.quantityStep,
    spec.quantityDecimals,
    'quantityStep',
    'quantityDecimals',
    issues,
    1,
  );
  const minQuantity = spec.minQuantity ?? quantity.step;
  if (!(Number.isFinite(minQuantity) && minQuantity >= 0)) {
    issues.push({
      path: 'minQuantity',
      message: `minQuantity must be a number ≥ 0, got ${String(spec.minQuantity)}`,
    });
  }
  const minNotional = spec.minNotional ?? 0;
  if (!(Number.isFinite(minNotional) && minNotional >= 0)) {
    issues.push({
      path: 'minNotional',
      message: `minNotional must be a number ≥ 0, got ${String(spec.minNotional)}`,
    });
  }
  if (issues.length > 0) throw new InstrumentError(issues);
  return Object.freeze({
    symbol: spec.symbol.trim(),
    venue: spec.venue.trim(),
    tickSize: price.step,
    quantityStep: quantity.step,
    // Never below one step: an order of less than a step cannot be sent at all.
    minQuantity: Math.max(minQuantity, quantity.step),
    minNotional,
    priceDecimals: price.decimals,
    quantityDecimals: quantity.decimals,
  });
}

/** A step and its decimals from either or both; `fallback` is the step when neither is given. */
function increment(
  step: number | undefined,
  decimals: number | undefined,
  stepPath: string,
  decimalsPath: string,
  issues: InstrumentIssue[],
  fallback?: number,
): { step: number; decimals: number } {
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= maxDecimals)) {
    issues.push({
      path: decimalsPath,
      message: `${decimalsPath} must be a whole number from 0 to ${maxDecimals}, got ${decimals}`,
    });
    return { step: 1, decimals: 0 };
  }
  if (step === undefined) {
    if (decimals !== undefined) return { step: Number((10 ** -decimals).toFixed(decimals)), decimals };
    if (fallback !== undefined) return { step: fallback, decimals: decimalsOf(fallback) };
    issues.push({ path: stepPath, message: `${stepPath} or ${decimalsPath} is required` });
    return { step: 1, decimals: 0 };
  }
  if (!(Number.isFinite(step) && step > 0)) {
    issues.push({ path: stepPath, message: `${stepPath} must be a positive number, got ${step}` });
    return { step: 1, decimals: 0 };
  }
  const stepDecimals = decimalsOf(step);
  if (step < 10 ** -maxDecimals) {
    issues.push({ path: stepPath, message: `${stepPath} must be at least 1e-${maxDecimals}, got ${step}` });
    return { step: 1, decimals: 0 };
  }
  if (decimals !== undefined && decimals < stepDecimals) {
    issues.push({
      path: decimalsPath,
      message: `${decimalsPath} ${decimals} cannot show a ${stepPath} of ${step} (needs ${stepDecimals})`,
    });
  }
  return { step, decimals: decimals ?? stepDecimals };
}
