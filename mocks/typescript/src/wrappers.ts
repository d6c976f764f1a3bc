/**
 * wrappers.ts — turn the values Pulumi hands to mocks into plain JSON.
 *
 * Pulumi marks secrets, unknowns (preview), resource references and output values with
 * "special signature" objects. awssim must see plain values: secrets are unwrapped, unknowns
 * are dropped, resource references become their id (or URN), output values their value.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Returns v without Pulumi's wrappers; undefined for unknown values. */
export function strip(v: any): any {
  if (v === UNKNOWN) return undefined;
  if (Array.isArray(v)) return v.map(strip).filter((x) => x !== undefined);
  if (v === null || typeof v !== "object") return v;
  const sig = v[SIG_KEY];
  if (sig === SECRET_SIG || sig === OUTPUT_SIG) return strip(v.value);
  if (sig === RESOURCE_SIG) return v.id !== undefined && v.id !== "" ? strip(v.id) : v.urn;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = strip(x);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** "FooBar" / "foo_bar" / "foo-bar" keys → "fooBar", recursively (registry state is returned camelCase). */
export function camelKeys(v: any): any {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) out[camel(k)] = camelKeys(x);
  return out;
}

export function camel(k: string): string {
  const parts = k.split(/[_-]/).filter((p) => p !== "");
  return parts
    .map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");
}

/** A JSON string input (Pulumi providers serialise object config as JSON text) or the value itself. */
export function parseMaybeJson(v: any): any {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
