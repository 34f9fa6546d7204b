// IAM's policy evaluation over plain policy documents, for one account (IAM User Guide, "Policy evaluation logic"
// and "IAM JSON policy elements" [P]; docs/sources.md#iam-policy-evaluation):
// - an explicit Deny in any policy that applies wins;
// - otherwise a request is allowed when an identity policy of the principal or the resource's policy allows it
//   (within one account either suffices), except that a resource policy naming the account's root only delegates to
//   IAM: the identity policy must then allow (KMS key policies work this way, docs/sources.md#kms-key-policies);
// - the trust policy of a role alone decides who may assume it.
// Conditions are evaluated with the request's context; an operator the evaluator does not know fails closed (the
// statement never allows, and a Deny with it always applies), so an unknown never widens access.

export type Json = Record<string, unknown>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement[];
}

export class PolicyDocumentError extends Error {}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** A policy document from its JSON text or object; a malformed one is a PolicyDocumentError, never a crash later. */
export function parsePolicy(source: unknown, where = "policy"): PolicyDocument {
  let doc: unknown = source;
  if (typeof source === "string") {
    try {
      doc = JSON.parse(source);
    } catch {
      throw new PolicyDocumentError(`${where}: not JSON`);
    }
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new PolicyDocumentError(`${where}: not an object`);
  const raw = (doc as Json).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined;
  if (!statements) throw new PolicyDocumentError(`${where}: no Statement`);
  return {
    Version: typeof (doc as Json).Version === "string" ? ((doc as Json).Version as string) : undefined,
    Statement: statements.map((s, i) => {
      if (s === null || typeof s !== "object" || Array.isArray(s)) throw new PolicyDocumentError(`${where}: Statement[${i}] is not an object`);
      const effect = (s as Json).Effect;
      if (effect !== "Allow" && effect !== "Deny") throw new PolicyDocumentError(`${where}: Statement[${i}].Effect must be Allow or Deny`);
      const st = s as Statement;
      if (st.Action === undefined && st.NotAction === undefined) throw new PolicyDocumentError(`${where}: Statement[${i}] has no Action`);
      return st;
    }),
  };
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions compare without case. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "i" : "");
  return re.test(value);
}

/** Who asks: a role (by ARN), or an AWS service principal. */
export type Principal = { arn: string; account: string } | { service: string };

export interface Request {
  principal: Principal;
  action: string;
  resource: string;
  /** Condition keys of the request: `aws:RequestTag/...`, `s3:DataAccessPointArn`, ... (lower-cased on lookup). */
  context?: Record<string, string | string[]>;
}

function principalMatches(p: Statement["Principal"], who: Principal): "yes" | "account" | "no" {
  if (p === undefined) return "no";
  if (p === "*" || (typeof p === "object" && list((p as Json).AWS).includes("*"))) return "yes";
  if ("service" in who) return list((p as Json).Service).includes(who.service) ? "yes" : "no";
  const aws = list((p as Json).AWS);
  if (aws.includes(who.arn)) return "yes";
  // The account's root (or its bare id) names the account: a delegation to the account's own IAM policies.
  if (aws.some((a) => a === who.account || /^arn:[^:]+:iam::(\d+):root$/.exec(a)?.[1] === who.account)) return "account";
  return "no";
}

const matchesAny = (patterns: string[], value: string, ignoreCase: boolean) => patterns.some((p) => wildcardMatch(p, value, ignoreCase));

function lookup(context: Request["context"], key: string): string[] | undefined {
  if (!context) return undefined;
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : list(found[1]);
}

const OPERATORS: Record<string, (want: string[], have: string[]) => boolean> = {
  StringEquals: (w, h) => h.some((v) => w.includes(v)),
  StringLike: (w, h) => h.some((v) => matchesAny(w, v, false)),
  ArnEquals: (w, h) => h.some((v) => w.includes(v)),
  ArnLike: (w, h) => h.some((v) => matchesAny(w, v, false)),
  Bool: (w, h) => h.some((v) => w.map((x) => x.toLowerCase()).includes(v.toLowerCase())),
};
const NEGATED: Record<string, string> = { StringNotEquals: "StringEquals", StringNotLike: "StringLike", ArnNotEquals: "ArnEquals", ArnNotLike: "ArnLike" };

/** Whether every condition of a statement holds; undefined when an operator is unknown. */
export function conditionsHold(condition: Statement["Condition"], context: Request["context"]): boolean | undefined {
  for (const [rawOperator, keys] of Object.entries(condition ?? {})) {
    const ifExists = rawOperator.endsWith("IfExists");
    const operator = rawOperator.replace(/IfExists$/, "");
    for (const [key, value] of Object.entries(keys)) {
      const want = list(value);
      const have = lookup(context, key);
      if (NEGATED[operator]) {
        // A negated operator holds when the key is missing (IAM "condition operators" [P]).
        if (have !== undefined && OPERATORS[NEGATED[operator]](want, have)) return false;
        continue;
      }
      const test = OPERATORS[operator];
      if (!test) return undefined;
      if (have === undefined) {
        if (ifExists) continue;
        return false;
      }
      if (!test(want, have)) return false;
    }
  }
  return true;
}

type Applies = "yes" | "account" | "no";

/** Whether a statement applies to the request: "account" when only through a delegation to the account's IAM. */
function applies(s: Statement, r: Request, resourcePolicy: boolean): Applies {
  const actionOk = s.Action !== undefined ? matchesAny(list(s.Action), r.action, true) : !matchesAny(list(s.NotAction), r.action, true);
  if (!actionOk) return "no";
  if (s.Resource !== undefined || s.NotResource !== undefined) {
    const resourceOk = s.Resource !== undefined ? matchesAny(list(s.Resource), r.resource, false) : !matchesAny(list(s.NotResource), r.resource, false);
    if (!resourceOk) return "no";
  }
  const who: Applies = resourcePolicy ? principalMatches(s.Principal, r.principal) : "yes";
  if (who === "no") return "no";
  const held = conditionsHold(s.Condition, r.context);
  if (held === undefined) return s.Effect === "Deny" ? who : "no";
  return held ? who : "no";
}

export interface Decision {
  allowed: boolean;
  /** The statements that decided, as `<policy name>#<Sid or index>`. */
  by: string[];
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** The decision for a request given the principal's identity policies and the resource's policies (and their names). */
export function decide(r: Request, identity: readonly NamedPolicy[], resource: readonly NamedPolicy[]): Decision {
  const hits = (policies: readonly NamedPolicy[], asResource: boolean, effect: "Allow" | "Deny") =>
    policies.flatMap((p) =>
      p.document.Statement.flatMap((s, i) => {
        if (s.Effect !== effect) return [];
        const a = applies(s, r, asResource);
        return a === "no" ? [] : [{ by: `${p.name}#${s.Sid ?? i}`, delegated: a === "account" }];
      }),
    );
  const denies = [...hits(identity, false, "Deny"), ...hits(resource, true, "Deny")];
  if (denies.length > 0) return { allowed: false, by: denies.map((d) => d.by) };
  const fromIdentity = hits(identity, false, "Allow");
  const fromResource = hits(resource, true, "Allow").filter((h) => !h.delegated);
  const allows = [...fromIdentity, ...fromResource];
  return { allowed: allows.length > 0, by: allows.map((a) => a.by) };
}

/** Whether a role's trust policy lets the principal assume it (with the session's tags as `aws:RequestTag/...`). */
export function trusts(trust: PolicyDocument, r: Omit<Request, "resource"> & { resource?: string }, roleName = "trust"): Decision {
  return decide({ ...r, resource: r.resource ?? "*" }, [], [{ name: roleName, document: trust }]);
}
