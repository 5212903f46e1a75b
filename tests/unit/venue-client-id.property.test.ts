// Our client order id as OKX spells it (letters and digits only): whatever id the app makes must
// come back from the exchange as the same id, and nothing the website puts in `clOrdId` may read as
// one of ours unless it is a valid escape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatClientOrderId } from '../../core/orders/client-order-ids.ts';
import { isClientOrderId, type ClientOrderId } from '../../core/domain/client-order-id.ts';
import { clientIdCodec } from '../../core/venues/ccxt/venue-client-id.ts';

const okx = clientIdCodec('okx');
const idChar = fc.constantFrom(...'ABCXYZabcxyz0189_-'.split(''));
const anyId = fc
  .array(idChar, { minLength: 1, maxLength: 32 })
  .map((chars) => chars.join('') as ClientOrderId);
const alphanumeric = fc.constantFrom(...'AZaz09dux'.split(''));

describe('client ids on OKX', () => {
  it('every id that fits goes out as letters and digits and reads back as itself', () => {
    fc.assert(
      fc.property(anyId, (id) => {
        let sent: string;
        try {
          sent = okx.toVenue(id);
        } catch (error) {
          // Refused only when the escape passes OKX's 32, naming the field.
          expect(String(error)).toContain('clientOrderId');
          return;
        }
        expect(sent).toMatch(/^[A-Za-z0-9]{1,32}$/);
        expect(okx.fromVenue(sent)).toBe(id);
      }),
    );
  });

  it('ids the app makes fit, even a tag of six Zs in the billionth start, up to 36^10 orders a start', () => {
    const longest = formatClientOrderId('ZZZZZZ', 1e9, 36 ** 10 - 1);
    expect(okx.toVenue(longest)).toHaveLength(32);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9Z]{6}$/),
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 36 ** 10 - 1 }),
        (tag, session, counter) => {
          const id = formatClientOrderId(tag, session, counter);
          expect(okx.fromVenue(okx.toVenue(id))).toBe(id);
        },
      ),
    );
  });

  it('a clOrdId from elsewhere is ours only when it decodes to a valid id', () => {
    fc.assert(
      fc.property(fc.array(alphanumeric, { minLength: 1, maxLength: 32 }), (chars) => {
        const venueId = chars.join('');
        const ours = okx.fromVenue(venueId);
        if (ours === undefined) return;
        expect(isClientOrderId(ours)).toBe(true);
        expect(okx.toVenue(ours)).toBe(venueId);
      }),
    );
    expect(okx.fromVenue('abcZ')).toBeUndefined();
    expect(okx.fromVenue('abcZq1')).toBeUndefined();
    expect(okx.fromVenue('web-1')).toBeUndefined();
  });

  it('other exchanges take our ids as they are', () => {
    const binance = clientIdCodec('binance');
    expect(binance.toVenue('Ab-1-2' as ClientOrderId)).toBe('Ab-1-2');
    expect(binance.fromVenue('Ab-1-2')).toBe('Ab-1-2');
    expect(binance.fromVenue('x-broker/123')).toBeUndefined();
  });
});
