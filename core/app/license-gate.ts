// Turns the licence into the dispatcher's gate: every call declared `requiresLicense` (and any
// features it names) is checked here, in the one place all calls pass, in every host.
import type { CallGate } from '../contract/dispatch.ts';
import type { LicenseService } from '../license/license-service.ts';

export function licenseGate(license: LicenseService): CallGate {
  return async (_name, declaration) => {
    if (!declaration.requiresLicense) return null;
    const refusal = await license.check(declaration.features ?? []);
    if (!refusal) return null;
    return { code: refusal.code, message: refusal.reason.message, reason: refusal.reason };
  };
}
