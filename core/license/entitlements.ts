// What the running app may do, from the licence (if valid) and the trial (if running), and the
// gate's answer to one call's access requirement. Pure: the service supplies the evaluated state.
import type { LicenseCheckRefusal, LicenseStatus } from './license-service.ts';
import type { LicensePayload } from './format.ts';
import { trialDays, trialFeatures, trialMaxInstances, type TrialStatus } from './trial.ts';

/** free: no licence, no running trial; trial: the 14-day trial runs; licensed: a valid licence. */
export type Tier = 'free' | 'trial' | 'licensed';

export interface Entitlements {
  tier: Tier;
  /** "free", "trial", or the licence's plan. */
  plan: string;
  /** Features in effect: the licence's, plus the trial's while it runs. */
  features: string[];
  /** Bots that may run at once (0 on the free tier: bots need a licence or the trial). */
  maxInstances: number;
}

/** What one call needs; core/contract/access.ts declares it per call. */
export type AccessRequirement = 'free' | 'licensed' | { feature: string };

export function entitlementsOf(validLicense: LicensePayload | undefined, trial: TrialStatus): Entitlements {
  const trialRuns = trial.state === 'active';
  if (validLicense) {
    return {
      tier: 'licensed',
      plan: validLicense.plan,
      features: [...new Set([...validLicense.features, ...(trialRuns ? trialFeatures : [])])],
      maxInstances: Math.max(validLicense.maxInstances, trialRuns ? trialMaxInstances : 0),
    };
  }
  if (trialRuns) {
    return { tier: 'trial', plan: 'trial', features: [...trialFeatures], maxInstances: trialMaxInstances };
  }
  return { tier: 'free', plan: 'free', features: [], maxInstances: 0 };
}

/** Codes for which installing something (a key, an activation) is the fix, rather than a better one. */
const requiredCodes: ReadonlySet<string> = new Set(['no_license', 'no_activation']);

const day = (iso: string) => iso.slice(0, 10);

/** null when the call may run, else the refusal with a reason in plain words that names what is missing. */
export function accessRefusal(
  requirement: AccessRequirement,
  status: LicenseStatus,
): LicenseCheckRefusal | null {
  if (requirement === 'free') return null;
  const feature = typeof requirement === 'object' ? requirement.feature : null;
  if (status.tier === 'free') return lockedRefusal(status, feature);
  if (feature === null || status.features.includes(feature)) return null;
  if (status.tier === 'trial') {
    return {
      code: 'license_required',
      reason: {
        code: 'missing_feature',
        message: `The trial does not include "${feature}": it needs a licence that includes "${feature}". Install one on the License page.`,
      },
    };
  }
  return {
    code: 'license_invalid',
    reason: {
      code: 'missing_feature',
      message: `Your licence (plan "${status.plan}") does not include "${feature}".`,
    },
  };
}

function lockedRefusal(status: LicenseStatus, feature: string | null): LicenseCheckRefusal {
  const reason = status.reason;
  if (reason?.code === 'keychain_unavailable') return { code: 'keychain_unavailable', reason };
  // An installed licence that does not work says why: that is what its owner needs to fix.
  if (status.state === 'invalid' && reason) {
    return { code: requiredCodes.has(reason.code) ? 'license_required' : 'license_invalid', reason };
  }
  const trial = status.trial;
  if (trial.state === 'suspended') {
    return { code: 'license_invalid', reason: { code: 'clock_rollback', message: trial.message } };
  }
  const needs = feature
    ? `"${feature}" needs a licence that includes it`
    : `This needs a licence or the ${trialDays}-day trial`;
  if (trial.state === 'ended') {
    const when = trial.endsAt ? ` on ${day(trial.endsAt)}` : '';
    return {
      code: 'license_required',
      reason: {
        code: 'trial_ended',
        message: `The ${trialDays}-day trial on this computer ended${when}. ${needs}: install a licence key on the License page.`,
      },
    };
  }
  return {
    code: 'license_required',
    reason: {
      code: 'no_license',
      message: feature
        ? `${needs}. Install one on the License page.`
        : `${needs}. Start the trial or install a licence key on the License page.`,
    },
  };
}
