// The defaults and names the forms of every host start from, re-exported here because the renderer
// may import only the contract from core (eslint.config.js). One source: the schemas fill in the
// same values when a field is left out, and the CLI's help names them.
export { backtestBounds, backtestDefaults } from '../backtest/defaults.ts';
export { optimizeBounds, optimizeDefaults } from '../optimize/defaults.ts';
export { objectiveNames, type ObjectiveName } from '../optimize/objective.ts';
export { reinvestmentDefaults } from '../reinvestment/reinvestment-schema.ts';
