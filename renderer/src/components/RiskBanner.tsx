// The banner every page shows while the account is REDUCING or HALTED: which breakers hold it and
// until when, with the Risk page one click away. Only asked for when the licence or the trial
// allows the risk calls (the free tier cannot trade, so it has nothing to hold).
import { useEffect } from 'react';
import { api } from '../api/client.ts';
import { canUse, useLicense } from '../stores/license-store.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { useRisk } from '../stores/risk-store.ts';
import { Countdown } from './Countdown.tsx';
import { Button } from './form.tsx';
import { Notice } from './Notice.tsx';

export function RiskBanner() {
  const status = useLicense((state) => state.status);
  const allowed = canUse(status, 'licensed');
  const { risk, refresh } = useRisk();
  const go = useNavigation((state) => state.go);

  useEffect(() => {
    if (!allowed) return;
    void refresh();
    return api.on('risk.changed', () => void refresh());
  }, [allowed, refresh]);

  if (!allowed || risk === null || risk.state === 'active') return null;
  const holding = risk.breakers.flatMap((breaker) =>
    breaker.trips.filter((trip) => trip.scope === 'account'),
  );
  return (
    <Notice tone={risk.state === 'halted' ? 'error' : 'warning'} testId="risk-banner">
      <span className="flex flex-wrap items-center gap-3">
        <strong data-testid="risk-banner-state">
          Trading {risk.state === 'halted' ? 'HALTED' : 'REDUCING'}
        </strong>
        <span>
          {risk.state === 'halted'
            ? 'no new positions: only exits and cancels go through.'
            : 'only orders that shrink a position go through.'}
        </span>
        {holding.map((trip) => (
          <span key={`${trip.breaker}:${trip.key}`}>
            {trip.breaker}
            {trip.until !== null ? (
              <>
                {' '}
                · recovers in{' '}
                <Countdown until={trip.until} testId={`risk-banner-countdown-${trip.breaker}`} />
              </>
            ) : (
              ` · ${trip.recovery}`
            )}
          </span>
        ))}
        <Button tone="secondary" onClick={() => go('risk')}>
          Open the Risk page
        </Button>
      </span>
    </Notice>
  );
}
