// The first part of every licence key: core/license checks it, the License page shows it as the
// key field's placeholder. Here, in the contract, because the renderer may import nothing else.
export const licenseKeyPrefix = 'AUTOBOT1';
