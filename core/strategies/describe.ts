// What the Backtest and Optimizer forms need to know about a strategy's parameters, read from the
// strategy's own zod schema (its JSON Schema export), so a new strategy needs no UI code at all.
import type { StrategyInfoJson } from './strategy-info.ts';
import { listStrategies, type StrategyEntry } from './registry.ts';

interface JsonSchemaNumber {
  type?: string;
  default?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
}

/** "takeProfitPct" → "Take profit %", "minSentiment" → "Min sentiment". */
export function paramLabel(name: string): string {
  const words = name
    .replace(/Pct$/, ' %')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function describeStrategy(strategy: StrategyEntry): StrategyInfoJson {
  const schema = strategy.paramsJsonSchema as {
    properties?: Record<string, JsonSchemaNumber>;
    required?: string[];
  };
  const params = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const min = property.minimum ?? property.exclusiveMinimum;
    const max = property.maximum ?? property.exclusiveMaximum;
    const integer = property.type === 'integer';
    return {
      name,
      label: paramLabel(name),
      description: property.description ?? '',
      default: property.default ?? null,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(integer ? { step: 1 } : {}),
      integer,
      // A parameter with a default is never missing; one without is optional unless required.
      optional: property.default === undefined && !(schema.required ?? []).includes(name),
    };
  });
  return { name: strategy.name, title: strategy.name, description: strategy.summary, params };
}

export function describeStrategies(): StrategyInfoJson[] {
  return listStrategies().map(describeStrategy);
}
