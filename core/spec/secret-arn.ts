import type { Region } from "../catalog/types";
import type { Parse } from "./reservations";

// A Secrets Manager secret as a stack file names it: its full ARN,
// `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>` (docs/sources.md#secretsmanager-arns
// [P]: Secrets Manager appends a dash and six random characters to the name). The full ARN, not the name or a partial
// ARN: the role that reads it is granted that one ARN and nothing that a secret of a similar name would match.

// A secret's name: 1 to 512 of letters, digits and /_+=.@- (docs/sources.md#secretsmanager-arns [P], CreateSecret Name).
const SECRET_ARN = /^arn:([a-z-]+):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})-([A-Za-z0-9]{6})$/;
const SECRET_ARN_PREFIX = /^arn:[a-z-]+:secretsmanager:/;

export interface SecretArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  /** The secret's name, without the six characters Secrets Manager adds. */
  name: string;
}

function quoted(text: unknown): string {
  if (typeof text === "string") return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
  if (text === null || text === undefined) return "an empty value";
  return Array.isArray(text) ? "a list" : typeof text === "object" ? "a map" : String(text);
}

/** A secret's full ARN in the stack's region and partition, or what is wrong with it. */
export function parseSecretArn(text: unknown, region: Pick<Region, "name" | "partition"> | undefined): Parse<SecretArn> {
  const example = `arn:${region?.partition ?? "aws"}:secretsmanager:${region?.name ?? "eu-north-1"}:111122223333:secret:directory/sssd-conf-AbC123`;
  const copy = "copy it from `aws secretsmanager describe-secret --secret-id <name> --query ARN`";
  if (typeof text !== "string") return { ok: false, problem: `${quoted(text)} is not a secret's ARN`, hint: `write the ARN as text, e.g. ${example}` };
  const trimmed = text.trim();
  if (!SECRET_ARN_PREFIX.test(trimmed)) {
    return { ok: false, problem: `${quoted(text)} is not a Secrets Manager ARN`, hint: `write the secret's full ARN (a name alone is not enough: the role is granted one ARN); ${copy}` };
  }
  const m = SECRET_ARN.exec(trimmed);
  if (!m) {
    return { ok: false, problem: `${quoted(text)} is not a full secret ARN: it must end in secret:<name>-<the 6 characters Secrets Manager adds>`, hint: `${copy}, e.g. ${example}` };
  }
  const [, partition, secretRegion, account, name] = m;
  if (region && partition !== region.partition) {
    return { ok: false, problem: `the secret is in the ${partition} partition, the stack's region ${region.name} in ${region.partition}`, hint: `name a secret of ${region.name}: arn:${region.partition}:secretsmanager:${region.name}:…` };
  }
  if (region && secretRegion !== region.name) {
    return { ok: false, problem: `the secret is in ${secretRegion}, not the stack's region ${region.name}`, hint: `replicate the secret into ${region.name} (aws secretsmanager replicate-secret-to-regions) and name the replica's ARN: the factory reads nothing outside its region` };
  }
  return { ok: true, value: { arn: trimmed, partition, region: secretRegion, account, name } };
}
