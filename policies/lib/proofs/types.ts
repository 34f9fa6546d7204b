// What a proof over a plan says: per property, proven, or the findings that keep it from being proven. A finding
// is `broken` (the plan admits what the property forbids, or refuses what it needs), `unproven` (an input the
// analysis cannot read or bound: an unresolved output, a wildcard; sound, never passed silently) or `unseen` (a
// layer's preview does not hold the resource the claim rests on: reported, not failed).

export type FindingKind = "broken" | "unproven" | "unseen";

export interface Finding {
  kind: FindingKind;
  /** What is wrong, naming the resource, then what to do. */
  message: string;
  tenant?: string;
  urn?: string;
}

export const PROPERTIES = {
  "tenant-s3-isolated": "each tenant's S3 prefixes are reached through its own access points by its own principals and by no other tenant's",
  "tenant-key-isolated": "each tenant's KMS key is used by its own principals and by no other tenant's",
  "tenant-lustre-isolated": "each tenant's Lustre share is its own directory, bound to its own namespace only, with a group of its own",
  "tenant-namespace-isolated": "each tenant's people and pods act in its own namespace only, and nobody else's is bound there",
  "tenant-network-isolated": "no pod of one tenant reaches another tenant's pods on any port: every tenant's policies select all its pods, and no egress rule of one meets an ingress rule of another",
  "tenant-pods-reach-services": "each tenant's pods reach the API server, DNS and the VPC endpoints, and not the instance metadata",
  "deploy-path-reaches-api": "the deploy runner (and each declared operator network) reaches the API server on 443",
  "gpu-nodes-reach-services": "GPU nodes reach ECR, S3, STS and EKS, each other on the EFA security group, and Lustre on 988 and 1018-1023",
  "no-external-flows": "no flow from 0.0.0.0/0 or another account reaches anything, unless the spec declares it",
} as const;

export type PropertyName = keyof typeof PROPERTIES;

export interface Proof {
  property: PropertyName;
  /** What was proven over, e.g. "128 tenants" or "44 GPU node groups". */
  over: string;
  findings: Finding[];
  /** What a reader needs besides the verdict: the platform's own principals, the paths proven. */
  notes: string[];
}

export const verdictOf = (p: Pick<Proof, "findings">): "proven" | "broken" | "unproven" | "partial" =>
  p.findings.some((f) => f.kind === "broken") ? "broken" : p.findings.some((f) => f.kind === "unproven") ? "unproven" : p.findings.length ? "partial" : "proven";
