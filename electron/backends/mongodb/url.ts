/**
 * MongoDB connection strings: `mongodb://user:pw@h1:27017,h2/db?replicaSet=rs` and
 * `mongodb+srv://user@cluster.example/db`. The saved config keeps the URL *without* its password
 * (the password travels apart, so it can be kept encrypted); the URL is otherwise kept whole,
 * because its path is also the default `authSource` and its options (replicaSet, tls,
 * authMechanism…) matter to the driver. Several hosts make these URLs invalid for `new URL`, so
 * they are split with the same pattern the driver's own parser uses.
 */
export const mongoSchemes = ['mongodb', 'mongodb+srv'] as const;
const defaultPort = 27017;

export interface MongoUrlParts {
  scheme: (typeof mongoSchemes)[number];
  /** As written in the URL, still percent-encoded; empty when the URL names no user. */
  user: string;
  /** Decoded; undefined when the URL has none. */
  password: string | undefined;
  /** The comma-separated host list as written, e.g. `h1:27017,h2`. */
  hosts: string;
  /** Decoded database from the path, if any. */
  database: string | undefined;
  /** Everything after the hosts: `/db?options`, kept verbatim. */
  rest: string;
}

// user is [^:@]*, password [^@]*, hosts [^/?@]* — as in mongodb-connection-string-url.
const pattern =
  /^(?<scheme>[^/:]+):\/\/(?:(?<user>[^:@]*)(?::(?<password>[^@]*))?@)?(?<hosts>(?!:)[^/?@]*)(?<rest>.*)$/s;

/** The parts of a MongoDB URL, or undefined when it is not one (wrong scheme, no host). */
export function parseMongoUrl(text: string): MongoUrlParts | undefined {
  const match = pattern.exec(text.trim());
  const groups = match?.groups;
  if (!groups) return undefined;
  const scheme = groups.scheme!.toLowerCase();
  if (!isMongoScheme(scheme) || !groups.hosts) return undefined;
  const rest = groups.rest ?? '';
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?')) return undefined;
  const path = rest.startsWith('/') ? rest.slice(1).split('?')[0]! : '';
  return {
    scheme,
    user: groups.user ?? '',
    password: groups.password === undefined ? undefined : safeDecode(groups.password),
    hosts: groups.hosts,
    database: path ? safeDecode(path) : undefined,
    rest,
  };
}

function isMongoScheme(scheme: string): scheme is MongoUrlParts['scheme'] {
  return (mongoSchemes as readonly string[]).includes(scheme);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The URL with its password removed and nothing else changed. */
export function withoutPassword(parts: MongoUrlParts): string {
  const user = parts.user ? `${parts.user}@` : '';
  return `${parts.scheme}://${user}${parts.hosts}${parts.rest}`;
}

/**
 * The URL handed to the driver: the saved URL with `password` put back into it. The password is
 * only ever in memory; a URL without a user name gets none (the driver would reject it).
 */
export function connectionString(url: string, password: string | undefined): string {
  const parts = parseMongoUrl(url);
  if (!parts) return url;
  if (!password || !parts.user) return withoutPassword(parts);
  return `${parts.scheme}://${parts.user}:${encodeURIComponent(password)}@${parts.hosts}${parts.rest}`;
}

/** `h1:27017,h2:27017` with default ports filled in, or the SRV name: how errors name a server. */
export function hostsOf(url: string): string {
  const parts = parseMongoUrl(url);
  if (!parts) return url;
  if (parts.scheme === 'mongodb+srv') return parts.hosts;
  return parts.hosts
    .split(',')
    .map((host) => (/:\d+$/.test(host) ? host : `${host}:${defaultPort}`))
    .join(',');
}

/** The user the URL authenticates as, decoded, or undefined. */
export function userOf(url: string): string | undefined {
  const user = parseMongoUrl(url)?.user;
  return user ? safeDecode(user) : undefined;
}

/**
 * A secret-free description: scheme, user, hosts and database, without the password or any
 * option (options can hold secrets too, e.g. `authMechanismProperties=AWS_SESSION_TOKEN:…`).
 */
export function describeMongoUrl(url: string, database: string | undefined): string {
  const parts = parseMongoUrl(url);
  if (!parts) return 'mongodb://(invalid URL)';
  const user = parts.user ? `${parts.user}@` : '';
  const db = database ?? parts.database;
  return `${parts.scheme}://${user}${parts.hosts}${db ? `/${db}` : ''}`;
}
