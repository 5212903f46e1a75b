// Trend lines drawn by the user, painted by a series primitive (lightweight-charts' plugin API):
// each line joins two (time, price) points, so it keeps its place whatever timeframe is shown.
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';

export interface TrendLine {
  id: string;
  from: { time: number; price: number };
  to: { time: number; price: number };
  color?: string;
}

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

export class TrendLinesPrimitive implements ISeriesPrimitive<Time> {
  #lines: readonly TrendLine[] = [];
  #series: ISeriesApi<SeriesType, Time> | null = null;
  #requestUpdate: (() => void) | null = null;
  readonly #timeToX: (time: number) => number | null;
  readonly #view: IPrimitivePaneView;

  constructor(timeToX: (time: number) => number | null) {
    this.#timeToX = timeToX;
    this.#view = { renderer: () => ({ draw: (target) => this.#draw(target) }) };
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.#series = param.series;
    this.#requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.#series = null;
    this.#requestUpdate = null;
  }

  setLines(lines: readonly TrendLine[]): void {
    this.#lines = lines;
    this.#requestUpdate?.();
  }

  /** Redraw after the data or the time-to-pixel mapping changed. */
  refresh(): void {
    this.#requestUpdate?.();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.#view];
  }

  #draw(target: DrawTarget): void {
    const series = this.#series;
    if (!series || this.#lines.length === 0) return;
    target.useMediaCoordinateSpace(({ context }) => {
      for (const line of this.#lines) {
        const x1 = this.#timeToX(line.from.time);
        const x2 = this.#timeToX(line.to.time);
        const y1 = series.priceToCoordinate(line.from.price);
        const y2 = series.priceToCoordinate(line.to.price);
        if (x1 === null || x2 === null || y1 === null || y2 === null) continue;
        context.strokeStyle = line.color ?? '#38bdf8';
        context.lineWidth = 2;
        context.beginPath();
        context.moveTo(x1, y1);
        context.lineTo(x2, y2);
        context.stroke();
      }
    });
  }
}
