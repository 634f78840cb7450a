/**
 * Credentials taken out of any text collect stores or prints. An endpoint's error text is
 * kept in gaps and shown in every report, and some endpoints echo the request back (its
 * Authorization header, its session token); a key id, token or signature must never reach an
 * auditor's copy that way.
 */

const REDACTED = '[redacted]';

const PATTERNS: readonly [RegExp, string][] = [
  // The signature of a SigV4 Authorization header or a presigned URL.
  [/\b((?:X-Amz-)?Signature["']?\s*[=:]\s*["']?)[0-9a-f]{16,}/gi, `$1${REDACTED}`],
  // Named secrets: a header, a query parameter, a JSON, XML or INI field.
  [/(?<![A-Za-z0-9])((?:X-Amz-Security-Token|SessionToken|Session_Token|SecretAccessKey|Secret_Access_Key)["']?\s*[=:>]\s*["']?)[^\s"'&,;<>]+/gi, `$1${REDACTED}`],
  // Access key ids, long-term (AKIA) and temporary (ASIA), and the rarer kinds, wherever they stand.
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, REDACTED],
  // STS session tokens by their fixed opening, whatever field they are in.
  [/\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9+/=%]{16,}/g, REDACTED],
];

export function redactSecrets(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** The same error with credentials taken out of its message and stack, before it is printed. */
export function redactError<E>(error: E): E {
  if (error instanceof Error) {
    error.message = redactSecrets(error.message);
    if (error.stack) error.stack = redactSecrets(error.stack);
  }
  return error;
}
