// A canvas that follows its container's width (360 px phones to desktops) and stays sharp on
// high-density screens: the drawing code works in CSS pixels, the backing store in device pixels.
import { useEffect, useRef, useState } from 'react';

export function useCanvasSize(aspect: number, minHeight: number, maxHeight: number) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      const height = Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
      setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    });
    observer.observe(container);
    return () => observer.disconnect();
  }, [aspect, minHeight, maxHeight]);
  return { containerRef, ...size };
}

/** Sizes the backing store and returns a context scaled so that 1 unit = 1 CSS pixel. */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}
