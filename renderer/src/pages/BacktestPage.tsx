import { Card } from '../components/Card.tsx';

export function BacktestPage() {
  return (
    <Card title="Backtest">
      <p className="text-sm text-slate-300" data-testid="page-not-built">
        This page is not built yet. It will run strategies over stored candles.
      </p>
    </Card>
  );
}
