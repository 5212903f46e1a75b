// Who may make a call. Every call in calls.ts declares one access tier; the licence gate
// (core/app/license-gate.ts) enforces it on every call, in every host. docs/licensing.md.

/**
 * The features a licence's `features` list can grant that the product acts on. A licence may
 * carry other names (informational, or for later versions); only these unlock anything.
 */
export const licenseFeatures = ['live-trading', 'rl'] as const;
export type LicenseFeature = (typeof licenseFeatures)[number];

/** How the License page names them. */
export const licenseFeatureLabels: Record<LicenseFeature, string> = {
  'live-trading': 'live trading',
  rl: 'reinforcement learning',
};

/** A feature name for people: "reinforcement learning (rl)"; names the product does not act on stay as they are. */
export function describeFeature(feature: string): string {
  const label = (licenseFeatureLabels as Record<string, string | undefined>)[feature];
  return label ? `${label} (${feature})` : feature;
}

/**
 * - `free`: anyone, no licence needed (charts, data, backtests, the optimiser, the licence calls).
 * - `licensed`: a valid licence or a running trial.
 * - `{ feature }`: a valid licence whose `features` include it, or a running trial if the trial
 *   grants it (every feature but `live-trading`).
 */
export type CallAccess = 'free' | 'licensed' | { feature: LicenseFeature };
