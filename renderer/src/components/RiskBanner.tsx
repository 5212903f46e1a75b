// The banner every page shows while the account is REDUCING or HALTED, or a breaker holds a bot
// (a paper bot's trip on its bars' clock holds that bot only): which breakers, whom and until when,
// with the Risk page one click away. Only asked for when the licence or the trial
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

  if (!allowed || risk === null) return null;
  const holding = risk.breakers.flatMap((breaker) =>
    breaker.trips.filter((trip) => trip.scope === 'account'),
  );
  const bots = risk.breakers.flatMap((breaker) => breaker.trips.filter((trip) => trip.scope === 'bot'));
  if (risk.state === 'active' && bots.length === 0) return null;
  const botsHalted = bots.some((trip) => trip.state === 'halted');
  const held = new Set(bots.map((trip) => trip.key)).size;
  return (
    <Notice
      tone={risk.state === 'halted' || (risk.state === 'active' && botsHalted) ? 'error' : 'warning'}
      testId="risk-banner"
    >
      <span className="flex flex-wrap items-center gap-3">
        <strong data-testid="risk-banner-state">
          {risk.state === 'active'
            ? `${held} bot${held === 1 ? '' : 's'} held`
            : `Trading ${risk.state === 'halted' ? 'HALTED' : 'REDUCING'}`}
        </strong>
        {risk.state !== 'active' && (
          <span>
            {risk.state === 'halted'
              ? 'no new positions: only exits and cancels go through.'
              : 'only orders that shrink a position go through.'}
          </span>
        )}
        {bots.map((trip) => (
          <span key={`${trip.breaker}:${trip.key}`} data-testid={`risk-banner-bot-${trip.key}`}>
            {trip.key} {trip.state === 'halted' ? 'HALTED' : 'REDUCING'} by {trip.breaker}
            {trip.until !== null ? (
              <>
                {' '}
                · recovers in{' '}
                <Countdown
                  until={trip.until}
                  barsNow={trip.clock === 'bars' ? trip.now : undefined}
                  testId={`risk-banner-countdown-${trip.breaker}-${trip.key}`}
                />
              </>
            ) : (
              ` · ${trip.recovery}`
            )}
          </span>
        ))}
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
