// The indicator library: each indicator as a batch function over Float64Array and an O(1) streaming class
// with identical arithmetic. Formulas, warm-up lengths and edge cases: docs/indicators.md.
export { sma, SmaStream } from './sma.ts';
export { ema, EmaStream } from './ema.ts';
export { rsi, RsiStream } from './rsi.ts';
export { atr, AtrStream } from './atr.ts';
export { bollinger, BollingerStream, type BollingerBands } from './bollinger.ts';
export { macd, MacdStream, type MacdLines } from './macd.ts';
export { stochastic, StochasticStream, type StochasticLines } from './stochastic.ts';
