import type { ReactNode } from 'react';

const tones = {
  error: 'border-red-800 bg-red-950 text-red-200',
  success: 'border-emerald-800 bg-emerald-950 text-emerald-200',
  info: 'border-sky-800 bg-sky-950 text-sky-200',
  warning: 'border-amber-700 bg-amber-950 text-amber-200',
} as const;

/** A message the user must not miss: errors are announced to screen readers too. */
export function Notice({
  tone,
  children,
  testId,
}: {
  tone: keyof typeof tones;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={`rounded-md border px-3 py-2 text-sm break-words ${tones[tone]}`}
    >
      {children}
    </div>
  );
}
