// cTrader's integer encodings: volume in hundredths of a unit, relative prices × 10⁻⁵, money by
// moneyDigits. A wrong factor here is a position 100× too large, so every conversion must round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  moneyToNumber,
  numberToMoney,
  priceToRelative,
  readInt64,
  relativeToPrice,
  unitsToVolume,
  volumeToUnits,
} from '../../core/venues/ctrader/scaling.ts';

const maxVolume = 10_000_000_000_000; // 100 billion units: far beyond any broker's limit

describe('cTrader scaling', () => {
  it('one standard lot of 100,000 units is volume 10,000,000', () => {
    expect(unitsToVolume(100_000)).toBe(10_000_000);
    expect(volumeToUnits(10_000_000)).toBe(100_000);
    expect(volumeToUnits('1000')).toBe(10);
  });

  it('volumes round-trip through units, as numbers or strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxVolume }), (volume) => {
        const units = volumeToUnits(volume);
        expect(unitsToVolume(units)).toBe(volume);
        expect(volumeToUnits(String(volume))).toBe(units);
      }),
    );
  });

  it('refuses units finer than a hundredth, negative or not finite, naming the field', () => {
    expect(() => unitsToVolume(0.001, 'quantity')).toThrow(
      /quantity 0.001 is not a whole number of hundredths/,
    );
    expect(() => unitsToVolume(-1)).toThrow(/quantity must be a finite number ≥ 0/);
    expect(() => unitsToVolume(Number.NaN)).toThrow(/quantity/);
    expect(() => volumeToUnits('12.5')).toThrow(/volume must be a whole number/);
    expect(() => volumeToUnits('99999999999999999999')).toThrow(/volume must be a whole number within/);
  });

  it('relative prices are × 10⁻⁵ whatever the symbol digits, and round-trip', () => {
    expect(relativeToPrice(108_456)).toBe(1.08456);
    expect(relativeToPrice('15234500')).toBe(152.345);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (scaled) => {
        expect(priceToRelative(relativeToPrice(scaled))).toBe(scaled);
      }),
    );
  });

  it('money is divided by 10^moneyDigits and round-trips', () => {
    expect(moneyToNumber(1_234_567, 2)).toBe(12_345.67);
    expect(moneyToNumber('-500', 3)).toBe(-0.5);
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 1e14 }), fc.integer({ min: 0, max: 8 }), (minor, digits) => {
        expect(numberToMoney(moneyToNumber(minor, digits), digits)).toBe(minor);
      }),
    );
  });

  it('int64 read as a number or a decimal string agree; anything else is refused by name', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(readInt64(String(n), 'x')).toBe(readInt64(n, 'x'));
      }),
    );
    expect(() => readInt64('1e3', 'positionId')).toThrow(/positionId must be a whole number/);
    expect(() => readInt64(undefined, 'orderId')).toThrow(/orderId/);
  });
});
