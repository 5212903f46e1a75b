// Headers every answer of the headless host carries. frame-ancestors/X-Frame-Options: no other page
// may frame the UI and click through it with the user's session (clickjacking). no-referrer: the
// login link's one-time code never travels on in a Referer. The policy matches the <meta> of
// renderer/index.html, which cannot express frame-ancestors itself.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Tailwind's classes compile to a stylesheet, but React and lightweight-charts set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // 'self' covers the same host's ws:// in current browsers (CSP Level 3).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
