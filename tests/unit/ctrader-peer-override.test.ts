// AUTOBOT_CTRADER_PEER points `autobot serve` at loopback fakes for the end-to-end test. Its extra
// trust anchor must never vouch for a real host: anything but 127.0.0.1 or localhost is refused,
// naming the field.
import { describe, expect, it } from 'vitest';
import { ctraderPeerOverride } from '../../core/app/dev-overrides.ts';

const peer = (overrides: Record<string, unknown>) => ({
  AUTOBOT_CTRADER_PEER: JSON.stringify({
    oauth: 'https://127.0.0.1:4443',
    demo: '127.0.0.1:5036',
    ca: 'PEM',
    redirectPort: 53_700,
    ...overrides,
  }),
});

describe('ctraderPeerOverride', () => {
  it('is nothing without the variable', () => {
    expect(ctraderPeerOverride({})).toEqual({});
  });

  it('sends OAuth and the Demo socket to the loopback fakes, trusting their CA', () => {
    expect(ctraderPeerOverride(peer({})).ctrader?.testHooks).toEqual({
      oauth: {
        authorizeUrl: 'https://127.0.0.1:4443/apps/auth',
        tokenUrl: 'https://127.0.0.1:4443/apps/token',
      },
      endpoints: { demo: { host: '127.0.0.1', port: 5036 } },
      ca: 'PEM',
      redirectPort: 53_700,
    });
  });

  it('refuses any address that is not loopback', () => {
    expect(() => ctraderPeerOverride(peer({ oauth: 'https://openapi.ctrader.com' }))).toThrow(
      'AUTOBOT_CTRADER_PEER.oauth must be a loopback https:// origin',
    );
    expect(() => ctraderPeerOverride(peer({ oauth: 'http://127.0.0.1:4443' }))).toThrow(
      'AUTOBOT_CTRADER_PEER.oauth must be a loopback https:// origin',
    );
    expect(() => ctraderPeerOverride(peer({ demo: 'demo.ctraderapi.com:5036' }))).toThrow(
      'AUTOBOT_CTRADER_PEER.demo must be a loopback host:port',
    );
    expect(() => ctraderPeerOverride(peer({ live: 'live.ctraderapi.com:5036' }))).toThrow(
      'AUTOBOT_CTRADER_PEER.live must be a loopback host:port',
    );
  });
});
