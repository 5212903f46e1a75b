// The 14-day trial: started once per machine from the License page, it unlocks every feature but
// live trading. The rules are pure functions of (the stored record, the clock); where the record
// lives and how the clock is guarded is machine-records.ts and license-service.ts. docs/licensing.md.
import { z } from 'zod';
import { licenseFeatures, type LicenseFeature } from '../contract/access.ts';

export const trialDays = 14;
const dayMs = 24 * 60 * 60_000;
export const trialLengthMs = trialDays * dayMs;

/** Everything but live trading: real money waits for a licence that includes it. */
export const trialFeatures: readonly LicenseFeature[] = licenseFeatures.filter(
  (feature) => feature !== 'live-trading',
);
/** Bots that may run at once during the trial (paper only: live trading is not included). */
export const trialMaxInstances = 1;

/** What is stored, as JSON, in the machine-level keychain entry. */
export const trialRecordSchema = z.object({
  startedAt: z.iso.datetime({ offset: true }).refine((value) => Number.isFinite(Date.parse(value))),
});
export type TrialRecord = z.infer<typeof trialRecordSchema>;

export type TrialStatus =
  /** Never started on this machine. */
  | { state: 'available'; days: number }
  | { state: 'active'; startedAt: string; endsAt: string; daysLeft: number }
  /** Used up; the dates are absent only when the stored record is unreadable (it still counts as used). */
  | { state: 'ended'; startedAt?: string; endsAt?: string }
  /** Running, but the clock is behind the latest time already seen: nothing is granted until it is set right. */
  | { state: 'suspended'; startedAt: string; endsAt: string; message: string }
  /** The keychain holding the record cannot be read, so whether a trial ran is unknown. */
  | { state: 'unavailable'; message: string };

/** The stored text, or 'damaged' when it is there but not a trial record. */
export function parseTrialRecord(text: string | null): TrialRecord | 'damaged' | null {
  if (text === null) return null;
  try {
    const parsed = trialRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

export function serializeTrialRecord(startedAt: Date): string {
  const record: TrialRecord = { startedAt: startedAt.toISOString() };
  return JSON.stringify(record);
}

/**
 * Where the trial stands at `now`. Days left count started days, so a fresh trial shows 14 and
 * its last day shows 1. A clock turned back is the caller's check (it knows the high-water mark).
 */
export function trialStatus(record: TrialRecord | 'damaged' | null, now: Date): TrialStatus {
  if (record === null) return { state: 'available', days: trialDays };
  if (record === 'damaged') return { state: 'ended' };
  const started = Date.parse(record.startedAt);
  const ends = started + trialLengthMs;
  const window = { startedAt: new Date(started).toISOString(), endsAt: new Date(ends).toISOString() };
  const left = ends - now.getTime();
  if (left <= 0) return { state: 'ended', ...window };
  return { state: 'active', ...window, daysLeft: Math.min(trialDays, Math.ceil(left / dayMs)) };
}
