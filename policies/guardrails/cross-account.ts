import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf, type PlanResource } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asRecord, asString, decoded, plain } from "../lib/values";

// Who may act in the factory stays in the factory's account: no EKS access entry, Pod Identity role or
// resource policy (trust, key, bucket, topic, secret, registry) names a principal of another account, unless
// the config lists that account. The factory's account is the one its cluster's roles live in: EKS takes a
// cluster role and node role of the cluster's own account (docs/sources.md#eks-access-entries [P]).

interface Config {
  allowedAccountIds: string[];
  exemptions: Exemption[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedAccountIds: {
      type: "array",
      items: { type: "string", pattern: "^[0-9]{12}$" },
      default: [],
      description: "Accounts besides the factory's own whose principals may be admitted (e.g. the organisation's audit account), each by decision.",
    },
    exemptions: exemptionsProperty,
  },
};

const ACCOUNT_OF_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;
const ACCOUNT_ONLY = /^\d{12}$/;
// Inputs that hold a role EKS requires in the cluster's own account.
const HOME_ROLES: Readonly<Record<string, string>> = { "aws:eks/cluster:Cluster": "roleArn", "aws:eks/nodeGroup:NodeGroup": "nodeRoleArn" };
// Inputs that admit a principal by ARN.
const PRINCIPAL_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "aws:eks/accessEntry:AccessEntry": ["principalArn"],
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": ["roleArn", "targetRoleArn"],
};

export function accountOf(principal: string): string | undefined {
  return ACCOUNT_OF_ARN.exec(principal)?.[1] ?? (ACCOUNT_ONLY.test(principal) ? principal : undefined);
}

/** The factory's accounts: those of the roles EKS requires in the cluster's own account. */
export function homeAccounts(index: PlanIndex): Set<string> {
  const out = new Set<string>();
  for (const r of index.resources) {
    const field = Object.hasOwn(HOME_ROLES, r.type) ? HOME_ROLES[r.type] : undefined;
    const account = field ? accountOf(asString(r.props[field]) ?? "") : undefined;
    if (account) out.add(account);
  }
  return out;
}

/** Every AWS principal a policy document anywhere in the inputs names, with the input it sits in. */
export function documentPrincipals(props: Record<string, unknown>): { input: string; principal: string }[] {
  const out: { input: string; principal: string }[] = [];
  const visit = (value: unknown, input: string, depth: number): void => {
    if (depth > 20) return;
    const v = plain(decoded(plain(value)));
    if (Array.isArray(v)) return v.forEach((item) => visit(item, input, depth + 1));
    const o = asRecord(v);
    if (!o) return;
    const principal = asRecord(plain(o.Principal));
    if (principal && principal.AWS !== undefined) {
      const aws = plain(principal.AWS);
      for (const p of Array.isArray(aws) ? asArray(aws) : [aws]) if (typeof p === "string") out.push({ input, principal: p });
    }
    for (const item of Object.values(o)) visit(item, input, depth + 1);
  };
  for (const [input, value] of Object.entries(props)) visit(value, input, 0);
  return out;
}

export function crossAccountProblems(r: PlanResource, home: ReadonlySet<string>, config: Config): Problem[] {
  const allowed = (account: string) => home.has(account) || config.allowedAccountIds.includes(account);
  const problems: Problem[] = [];
  const fields = Object.hasOwn(PRINCIPAL_INPUTS, r.type) ? PRINCIPAL_INPUTS[r.type] : [];
  for (const field of fields) {
    const arn = asString(r.props[field]);
    const account = arn ? accountOf(arn) : undefined;
    if (account && !allowed(account)) {
      problems.push({ reason: `\`${field}\` admits ${arn}, a principal of account ${account}, not the factory's (${[...home].join(", ")}): whoever controls that account acts in the factory`, fix: "admit a role of the factory's own account, or list the account under allowedAccountIds by decision" });
    }
  }
  for (const { input, principal } of documentPrincipals(r.props)) {
    const account = accountOf(principal);
    if (account && !allowed(account)) {
      problems.push({ reason: `the policy in \`${input}\` grants ${principal}, a principal of account ${account}, not the factory's (${[...home].join(", ")})`, fix: "name principals of the factory's own account, or list the account under allowedAccountIds by decision" });
    }
  }
  return problems;
}

export const noCrossAccountPrincipals: StackValidationPolicy = {
  name: "no-cross-account-principals",
  description: "No access entry, Pod Identity role or resource policy admits a principal of an account other than the factory's own.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Admit roles of the factory's own account; list another account under allowedAccountIds only by a recorded decision.",
  configSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<Config>(args, configSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const home = homeAccounts(index);
    // Without a cluster role the factory's account is not known, and nothing can be called another's.
    if (home.size === 0) return;
    for (const r of index.resources) {
      for (const p of crossAccountProblems(r, home, config)) reportUnlessExempt(reportViolation, config.exemptions, r, p, true);
    }
  },
};
