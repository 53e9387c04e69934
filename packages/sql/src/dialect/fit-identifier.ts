/** 32-bit FNV-1a over the UTF-16 code units, as 8 hex digits: short, stable, and needs no crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Makes a name fit the server's identifier limit. Names that fit are unchanged; longer ones keep a prefix
 * and end in a hash of the whole name, so the result is deterministic (the same index always gets the same
 * name, and a violated constraint's name maps back to it) and distinct names stay distinct. PostgreSQL
 * would silently truncate instead, and MySQL refuses names over 64 characters.
 */
export function fitIdentifier(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  return `${name.slice(0, maxLength - 9)}_${fnv1a(name)}`;
}
