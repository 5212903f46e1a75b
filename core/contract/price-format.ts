// Prices and quantities at their instrument's decimals, for the renderer (which may import only the
// contract) and every host: one formatter in core/domain, re-exported here.
export { formatAtDecimals, type FormatOptions } from '../domain/price-format.ts';
export { decimalsOf } from '../domain/decimals.ts';
