/** What stands in for a secret in a redacted URL or message. */
export const REDACTED = '***';

/** Query parameters whose values are secrets (`password=`, `tlsCertificateKeyFilePassword=`, `sslkey=`). */
const SECRET_PARAMETER = /pass|secret|token|key|credential/i;

/** Characters that end the authority of a URL; a well-formed user-info part contains none of them. */
const AUTHORITY_END = /[/?#]/;

interface Parts {
  /** `postgres://`, `mongodb+srv://`; empty when the text has no `://`. */
  readonly prefix: string;
  /** What stood before the last `@`: the user-info part, or more of the URL when it was malformed. */
  readonly userInfo: string | undefined;
  /** Everything after the user-info part and its `@`. */
  readonly rest: string;
}

function split(url: string): Parts {
  const schemeEnd = url.indexOf('://');
  const prefix = schemeEnd === -1 ? '' : url.slice(0, schemeEnd + 3);
  const body = url.slice(prefix.length);
  // The hosts of a URL never contain `@`, so whatever stands before the last one may hold a credential.
  const at = body.lastIndexOf('@');
  if (at === -1) return { prefix, userInfo: undefined, rest: body };
  return { prefix, userInfo: body.slice(0, at), rest: body.slice(at + 1) };
}

function redactQuery(rest: string): string {
  const mark = rest.indexOf('?');
  if (mark === -1) return rest;
  const [query, fragment] = splitOnce(rest.slice(mark + 1), '#');
  const redacted = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      return SECRET_PARAMETER.test(pair.slice(0, equals)) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${rest.slice(0, mark + 1)}${redacted}${fragment === undefined ? '' : `#${fragment}`}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * A database URL fit for a log line or an error message: the password is replaced by `***`, and so are the
 * values of query parameters that carry secrets. Works by parsing, for every scheme (`postgres`,
 * `postgresql`, `mysql`, `mariadb`, `mongodb`, `mongodb+srv` with several hosts, `pglite`): the user-info
 * part is what stands between `://` and the LAST `@` (hosts never contain `@`).
 *
 * When that part is well formed (`user` or `user:password`, with no `/`, `?`, `#` or `@` in it) the user
 * name is kept and the password replaced. When it is not (a password with an unescaped `/` or a second
 * `@`, as base64 secrets often have), the URL is malformed and nothing of it can be trusted to be public:
 * everything between `://` and the last `@` is replaced. Text without `@` carries no credential and is
 * returned unchanged apart from secret query parameters. Never throws.
 */
export function redactUrl(url: string): string {
  const { prefix, userInfo, rest } = split(url);
  if (userInfo === undefined) return `${prefix}${redactQuery(rest)}`;
  // Without `://` the text is no URL at all: nothing before the `@` can be trusted to be public.
  if (prefix === '' || AUTHORITY_END.test(userInfo) || userInfo.includes('@')) {
    return `${prefix}${REDACTED}@${redactQuery(rest)}`;
  }
  const [user, password] = splitOnce(userInfo, ':');
  const credential = password === undefined ? user : `${user}:${REDACTED}`;
  return `${prefix}${credential}@${redactQuery(rest)}`;
}

/**
 * The secrets a URL carries, for scrubbing them out of text that was not built from the URL (a driver's
 * error message may quote a host parsed from a malformed password): the password as written and decoded,
 * the whole user-info part when it is malformed, and its pieces between separators.
 */
export function secretsOf(url: string): string[] {
  const { userInfo } = split(url);
  if (userInfo === undefined) return [];
  const secrets = new Set<string>();
  const [, password] = splitOnce(userInfo, ':');
  if (AUTHORITY_END.test(userInfo) || userInfo.includes('@')) {
    secrets.add(userInfo);
    // The first piece is the user name, which is no secret (and often a common word such as `postgres`).
    for (const piece of userInfo.split(/[/?#@:]/).slice(1)) if (piece.length >= 3) secrets.add(piece);
  }
  if (password !== undefined && password.length > 0) {
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is already listed.
    }
  }
  // Longest first, so a piece never leaves the rest of a longer secret behind.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with the URL redacted wherever it appears and every secret of the URL replaced by `***`. */
export function redactSecrets(text: string, url: string): string {
  let result = text.split(url).join(redactUrl(url));
  for (const secret of secretsOf(url)) result = result.split(secret).join(REDACTED);
  return result;
}
