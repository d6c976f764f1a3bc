/**
 * credentials.ts — who a resource is created as.
 *
 * awssim maps an access key id to an account the way LocalStack does: a 12-digit access key id
 * IS the account id (secret "test"). An explicit Pulumi AWS provider with assumeRoles is turned
 * into a real STS AssumeRole call on awssim (roleArn, sessionName, duration), so the role's trust
 * policy and MaxSessionDuration are enforced exactly as AWS would; the temporary credentials
 * returned are then used for every call made through that provider.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The identity a call runs as: the account and region awssim stores the resource under. */
export interface CallContext {
  account: string;
  region: string;
  credentials: AwsCredentials;
}

/** Root credentials of an account in awssim. */
export function rootCredentials(account: string): AwsCredentials {
  return { accessKeyId: account, secretAccessKey: "test" };
}

/**
 * Seconds in a Terraform/Go duration string ("1h", "45m", "3600s", "1h30m") or a number.
 * Throws on anything else, so a typo never silently becomes the default session length.
 */
export function durationSeconds(d: string | number): number {
  if (typeof d === "number") return d;
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d)) !== null) {
    total += parseFloat(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as "h" | "m" | "s"];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== d.length) throw new Error(`invalid duration ${JSON.stringify(d)}`);
  return Math.round(total);
}

/** The account in an IAM/STS ARN (arn:aws:iam::123456789012:role/x → 123456789012). */
export function accountOfArn(arn: string): string {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") throw new Error(`not an ARN: ${arn}`);
  return parts[4];
}
