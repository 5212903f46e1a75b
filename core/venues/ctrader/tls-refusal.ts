// What a refused TLS handshake means, in words a user can act on. Node reports OpenSSL's codes
// (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID…); the Account page and logs need the reason.

export type TlsRefusalReason = 'expired' | 'untrusted' | 'wrong_host' | 'old_protocol' | 'other';

export class TlsRefusedError extends Error {
  readonly reason: TlsRefusalReason;
  /** OpenSSL's or Node's code, for the docs' troubleshooting table. */
  readonly code: string;

  constructor(endpoint: string, reason: TlsRefusalReason, code: string, detail: string) {
    super(`TLS connection to ${endpoint} refused: ${describe(reason, detail)} (${code})`);
    this.name = 'TlsRefusedError';
    this.reason = reason;
    this.code = code;
  }
}

function describe(reason: TlsRefusalReason, detail: string): string {
  switch (reason) {
    case 'expired':
      return 'the server certificate has expired or is not yet valid';
    case 'untrusted':
      return 'the server certificate is self-signed or not issued by a trusted authority';
    case 'wrong_host':
      return 'the server certificate was issued for another host name';
    case 'old_protocol':
      return 'the server does not offer TLS 1.2 or newer';
    case 'other':
      return detail;
  }
}

const reasons: readonly [TlsRefusalReason, RegExp][] = [
  ['expired', /^(CERT_HAS_EXPIRED|CERT_NOT_YET_VALID)$/],
  [
    'untrusted',
    /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/,
  ],
  ['wrong_host', /^(ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)$/],
  [
    'old_protocol',
    /^(ERR_SSL_UNSUPPORTED_PROTOCOL|ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION|ERR_SSL_NO_PROTOCOLS_AVAILABLE|ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR)$/,
  ],
];

/** A TLS failure as a TlsRefusedError, or null when `error` is not about TLS. */
export function tlsRefusal(endpoint: string, error: unknown): TlsRefusedError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  const found = reasons.find(([, pattern]) => pattern.test(code));
  if (found) return new TlsRefusedError(endpoint, found[0], code, error.message);
  // Node reports the peer's "protocol version" alert as a bare EPROTO; only the text tells.
  if (
    code === 'EPROTO' &&
    /protocol version|unsupported protocol|wrong version number|no protocols available/i.test(error.message)
  )
    return new TlsRefusedError(endpoint, 'old_protocol', code, error.message);
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
    return new TlsRefusedError(endpoint, 'other', code, error.message);
  return null;
}
