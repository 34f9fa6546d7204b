import { cidr, contains, formatCidr, isAligned, networkOf, parseCidr, type Cidr } from "../../lib/cidr";
import { error, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import type { SpecCheck } from "./context";

// The deploy path into the private cluster: every CIDR parses, nothing opens the API server to the whole
// internet, security group ids look like AWS's, and something can reach the API server at all
// (docs/sources.md#eks-cluster-endpoint: a private-only endpoint answers only inside the VPC or a connected network).

/** CodeBuild's build timeout: 5 to 2160 minutes (docs/sources.md#codebuild-vpc, CreateProject timeoutInMinutes [P]). */
export const RUNNER_TIMEOUT_MINUTES = { min: 5, max: 2160 } as const;
/** Public access CIDR ranges per EKS cluster (docs/sources.md#eks-service-quotas [P]). */
export const EKS_PUBLIC_ACCESS_CIDRS_MAX = 40;
/** Inbound rules per security group, AWS's default (docs/sources.md#vpc-security-group-rules [P]). */
export const INBOUND_RULES_PER_GROUP = 60;
/**
 * A public range shorter than this counts as the internet for the guardrails pack (its default
 * widestPublicIpv4Prefix): an operator network wider than that would be refused by `gigafactory check`.
 */
export const WIDEST_PUBLIC_OPERATOR_PREFIX = 16;
/** `sg-` and 8 (older) or 17 hex digits. */
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

// RFC 1918 and carrier-grade NAT (RFC 6598): not routed on the internet.
const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(cidr);
const isPrivate = (c: Cidr): boolean => PRIVATE.some((p) => contains(p, c));

type Parsed = { ok: true; block: Cidr } | { ok: false; finding: Finding };

/** A CIDR block as the access lists take it: IPv4, its network address, not the whole internet. */
function parseAccessCidr(text: string, path: string, what: string): Parsed {
  const trimmed = text.trim();
  if (trimmed.includes(":")) {
    const whole = /^::\/0$/.test(trimmed);
    return {
      ok: false,
      finding: error(path, whole ? `::/0 is the whole IPv6 internet: ${what} never takes it` : `${JSON.stringify(text)} is an IPv6 block: ${what} takes IPv4 blocks`, "write the IPv4 ranges of your own network, e.g. 10.200.0.0/16"),
    };
  }
  const c = parseCidr(trimmed);
  if (!c) return { ok: false, finding: error(path, `${JSON.stringify(text)} is not an IPv4 CIDR block`, "write it as a.b.c.d/n, e.g. 10.200.0.0/16") };
  if (c.prefix === 0) return { ok: false, finding: error(path, `${text} is the whole internet: ${what} never takes it`, "name the ranges your operators and CI connect from") };
  if (!isAligned(c)) return { ok: false, finding: error(path, `${text} has host bits set`, `write the block's network address: ${formatCidr(networkOf(c))}`) };
  return { ok: true, block: c };
}

function duplicates(list: readonly string[], path: (i: number) => string): Finding[] {
  return list.flatMap((v, i) => (list.indexOf(v) !== i ? [error(path(i), `${v} is listed twice`, "list each entry once")] : []));
}

function checkOperatorCidrs(list: readonly string[]): Finding[] {
  const path = (i: number) => specPath("access", "operatorCidrs", i);
  const findings: Finding[] = [];
  list.forEach((text, i) => {
    const parsed = parseAccessCidr(text, path(i), "an operator network");
    if (!parsed.ok) {
      findings.push(parsed.finding);
      return;
    }
    const c = parsed.block;
    if (!isPrivate(c) && c.prefix < WIDEST_PUBLIC_OPERATOR_PREFIX) {
      findings.push(
        error(path(i), `${text} is a public range wider than /${WIDEST_PUBLIC_OPERATOR_PREFIX}: the API server would be open to the internet`, `name the private range your VPN or Direct Connect arrives from, or public ranges of /${WIDEST_PUBLIC_OPERATOR_PREFIX} or narrower`),
      );
    }
  });
  return [...findings, ...duplicates(list, path)];
}

function checkOperatorGroups(list: readonly string[]): Finding[] {
  const path = (i: number) => specPath("access", "operatorSecurityGroupIds", i);
  const findings = list.flatMap((id, i) =>
    SECURITY_GROUP_ID.test(id) ? [] : [error(path(i), `${JSON.stringify(id)} is not a security group id`, "write sg- and 8 or 17 lowercase hex digits, e.g. sg-0123456789abcdef0")],
  );
  return [...findings, ...duplicates(list, path)];
}

function checkPublicEndpoint(list: readonly string[]): Finding[] {
  const path = (i: number) => specPath("access", "publicEndpointCidrs", i);
  const findings: Finding[] = [];
  list.forEach((text, i) => {
    const parsed = parseAccessCidr(text, path(i), "the public endpoint");
    if (!parsed.ok) {
      findings.push(parsed.finding);
      return;
    }
    if (isPrivate(parsed.block)) {
      findings.push(warning(path(i), `${text} is a private range: the public endpoint sees only public source addresses`, "list it under access.operatorCidrs instead, which admits it on the private endpoint"));
    }
  });
  if (list.length > EKS_PUBLIC_ACCESS_CIDRS_MAX) {
    findings.push(error(specPath("access", "publicEndpointCidrs"), `${list.length} ranges: EKS takes at most ${EKS_PUBLIC_ACCESS_CIDRS_MAX} per cluster`, "merge neighbouring ranges, or reach the private endpoint through access.operatorCidrs"));
  }
  return [...findings, ...duplicates(list, path)];
}

// An S3 bucket's ARN (`arn:<partition>:s3:::<name>`, names of 3 to 63 characters: S3 bucket naming rules [P]).
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[0-9a-f-]{36}$/;

/** The state backend the runner is granted: an S3 bucket, and a KMS key in the factory's region (its secrets stay in the EU). */
function checkRunnerState(state: { bucketArn: string; kmsKeyArn?: string }, region: string | undefined): Finding[] {
  const out: Finding[] = [];
  if (!BUCKET_ARN.test(state.bucketArn)) {
    out.push(error(specPath("access", "runner", "state", "bucketArn"), `${JSON.stringify(state.bucketArn)} is not an S3 bucket's ARN`, "write arn:aws:s3:::<bucket> of the bucket your Pulumi backend (s3://…) names"));
  }
  if (state.kmsKeyArn !== undefined) {
    const key = KEY_ARN.exec(state.kmsKeyArn);
    if (!key) {
      out.push(error(specPath("access", "runner", "state", "kmsKeyArn"), `${JSON.stringify(state.kmsKeyArn)} is not a KMS key's ARN`, "write arn:aws:kms:<region>:<account>:key/<key id> of your secrets provider's key (an alias will not do)"));
    } else if (region && key[1] !== region) {
      out.push(error(specPath("access", "runner", "state", "kmsKeyArn"), `the key is in ${key[1]}, not in the factory's region ${region}`, `use a key in ${region}: the stacks' secrets stay in the factory's region`));
    }
  }
  return out;
}

export function validateAccess(check: SpecCheck): Finding[] {
  const access = check.spec.access;
  const findings = [...checkOperatorCidrs(access.operatorCidrs), ...checkOperatorGroups(access.operatorSecurityGroupIds), ...checkPublicEndpoint(access.publicEndpointCidrs)];
  const timeout = access.runner.timeoutMinutes;
  if (timeout < RUNNER_TIMEOUT_MINUTES.min || timeout > RUNNER_TIMEOUT_MINUTES.max) {
    findings.push(error(specPath("access", "runner", "timeoutMinutes"), `CodeBuild cannot run a build for ${timeout} minutes`, `use ${RUNNER_TIMEOUT_MINUTES.min} to ${RUNNER_TIMEOUT_MINUTES.max}`));
  }
  if (access.runner.state) findings.push(...checkRunnerState(access.runner.state, check.region?.name));
  const rules = (access.runner.enabled ? 1 : 0) + access.operatorCidrs.length + access.operatorSecurityGroupIds.length;
  if (rules > INBOUND_RULES_PER_GROUP) {
    findings.push(warning(specPath("access"), `${rules} inbound rules on the API server's security group: AWS allows ${INBOUND_RULES_PER_GROUP} by default`, "merge neighbouring operator ranges, or raise the quota of inbound rules per security group first"));
  }
  if (rules === 0 && access.publicEndpointCidrs.length === 0) {
    findings.push(
      error(
        specPath("access"),
        "nothing can reach the cluster's private API server: the in-cluster layers (add-ons, Kueue, tenants) could not be deployed",
        "keep access.runner.enabled: true, or name access.operatorCidrs / access.operatorSecurityGroupIds of a network connected to the VPC",
      ),
    );
  }
  return findings;
}
