// Entry point of `npm run bench [-- GROUP...]`: runs every case of the named groups (all by default).
import { runCase, type BenchCase } from './harness.ts';
import { importCases, storageCases } from './cases/storage.ts';
import { licenseCases } from './cases/license.ts';
import { indicatorCases } from './cases/indicators.ts';
import { backtestCases } from './cases/backtest.ts';
import { optimizeCases } from './cases/optimize.ts';
import { cancelCases } from './cases/cancel.ts';
import { responsivenessCases } from './cases/responsiveness.ts';
import { runtimeCases } from './cases/runtime.ts';
import { chartCases } from './cases/chart.ts';
import { chartBrowserCases } from './cases/chart-browser.ts';
import { serverCases } from './cases/server.ts';
import { riskCases } from './cases/risk.ts';
import { rlCases } from './cases/rl.ts';
import { rlTradingCases } from './cases/rl-trading.ts';
import { ccxtCases } from './cases/ccxt.ts';

const groups: Record<string, () => BenchCase[]> = {
  storage: () => storageCases,
  import: () => importCases,
  license: () => licenseCases,
  indicators: () => indicatorCases,
  backtest: () => backtestCases,
  optimize: () => optimizeCases,
  cancel: () => cancelCases,
  responsiveness: () => responsivenessCases,
  runtime: () => runtimeCases,
  chart: () => chartCases,
  'chart-ui': () => chartBrowserCases,
  server: () => serverCases,
  risk: () => riskCases,
  rl: () => rlCases,
  'rl-trading': () => rlTradingCases,
  ccxt: () => ccxtCases,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((group) => !(group in groups));
if (unknown.length > 0) {
  console.error(`Unknown bench group(s): ${unknown.join(', ')}. Groups: ${Object.keys(groups).join(', ')}.`);
  process.exit(2);
}
for (const group of wanted.length > 0 ? wanted : Object.keys(groups)) {
  for (const bench of groups[group]!()) console.log(JSON.stringify(await runCase(bench)));
}
