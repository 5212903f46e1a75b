// The error type lives in core/domain (the bottom module, so backtest and optimize can raise it
// without importing the contract); the contract and the renderer keep importing it from here.
export * from '../domain/autobot-error.ts';
