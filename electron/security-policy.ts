/**
 * The Content-Security-Policy for every page Strata shows, in Electron and in the browser.
 * No inline or remote script, no eval, no plugins, no framing; data is never HTML.
 */
export function contentSecurityPolicy(connectSources: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // React sets widths and positions through style attributes, which CSP counts as inline style.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
