// Our client order id as an exchange spells it. Our ids are ≤ 32 of [A-Za-z0-9_-]
// (core/domain/client-order-id.ts) and most exchanges take them as they are; OKX takes only
// [A-Za-z0-9] (its `clOrdId`), and refuses an order whose id has a dash. There the id is escaped
// with `Z`: "Z" → "ZZ", "-" → "Zd", "_" → "Zu", everything else as it is. The escape is
// reversible, so an order read back from the exchange names the journal's id again, and a
// `clOrdId` that is not a valid escape (an order placed on the website) decodes to nothing: it is
// not ours. An id whose escape would pass 32 characters cannot be sent there and is refused naming
// the field. Ids made by core/orders/client-order-ids.ts fit while one start of the app sends fewer
// than 36^10 orders (a tag of six Zs, the billionth start: 32 exactly).
import { isClientOrderId, type ClientOrderId } from '../../domain/client-order-id.ts';

export interface ClientIdCodec {
  /** What goes in the exchange's client-id field; a RangeError naming `clientOrderId` when it cannot. */
  toVenue(id: ClientOrderId): string;
  /** Our id from the exchange's field, or undefined when it is not one of ours. */
  fromVenue(venueId: string | undefined): ClientOrderId | undefined;
}

const asIs: ClientIdCodec = {
  toVenue: (id) => id,
  fromVenue: (venueId) => (isClientOrderId(venueId) ? venueId : undefined),
};

const escapes: Record<string, string> = { Z: 'ZZ', '-': 'Zd', _: 'Zu' };
const unescapes: Record<string, string> = { Z: 'Z', d: '-', u: '_' };

function alphanumeric(exchange: string, maxLength: number): ClientIdCodec {
  return {
    toVenue(id) {
      const encoded = id.replace(/[Z_-]/g, (c) => escapes[c]!);
      if (encoded.length > maxLength)
        throw new RangeError(
          `clientOrderId: ${exchange} takes ${maxLength} letters and digits; ${id} needs ${encoded.length} once its - and _ are spelled out`,
        );
      return encoded;
    },
    fromVenue(venueId) {
      if (venueId === undefined || !/^[A-Za-z0-9]+$/.test(venueId)) return undefined;
      let id = '';
      for (let i = 0; i < venueId.length; i++) {
        const c = venueId[i]!;
        if (c !== 'Z') {
          id += c;
          continue;
        }
        const plain = unescapes[venueId[i + 1] ?? ''];
        if (plain === undefined) return undefined;
        id += plain;
        i++;
      }
      return isClientOrderId(id) ? id : undefined;
    },
  };
}

/** ccxt exchange ids whose client-id field is narrower than ours. */
const narrow: Record<string, ClientIdCodec> = {
  okx: alphanumeric('okx', 32),
  okxus: alphanumeric('okxus', 32),
  myokx: alphanumeric('myokx', 32),
};

export function clientIdCodec(exchange: string): ClientIdCodec {
  return narrow[exchange] ?? asIs;
}
