// Turns the licence into the dispatcher's gate: every call's declared `access` (free, licensed, or
// a licence feature; core/contract/access.ts) is checked here, in the one place all calls pass,
// in every host. Free calls never touch the keychain, so they work even when it does not answer.
import type { CallGate } from '../contract/dispatch.ts';
import type { LicenseService } from '../license/license-service.ts';

export function licenseGate(license: LicenseService): CallGate {
  return async (_name, declaration) => {
    const refusal = await license.check(declaration.access);
    if (!refusal) return null;
    return { code: refusal.code, message: refusal.reason.message, reason: refusal.reason };
  };
}
