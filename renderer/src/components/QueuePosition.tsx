// What a run waiting for a free slot shows instead of its progress bar.
export function QueuePosition({ position, testId }: { position: number; testId: string }) {
  return (
    <span className="flex-1 text-sm text-amber-200" role="status" data-testid={testId}>
      Queued — position {position}
    </span>
  );
}
