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
    Statement: statements.map((s, i) => checkedStatement(s, `${where}: Statement[${i}]`)),
  };
}

const isStrings = (v: unknown): boolean => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** One statement, its every element of the shape IAM accepts: else a PolicyDocumentError naming the element. */
function checkedStatement(s: unknown, where: string): Statement {
  if (!isObject(s)) throw new PolicyDocumentError(`${where} is not an object`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new PolicyDocumentError(`${where}.Effect must be Allow or Deny`);
  if (s.Action === undefined && s.NotAction === undefined) throw new PolicyDocumentError(`${where} has no Action`);
  for (const key of ["Action", "NotAction", "Resource", "NotResource"] as const) {
    if (s[key] !== undefined && !isStrings(s[key])) throw new PolicyDocumentError(`${where}.${key} must be a string or a list of strings`);
  }
  for (const key of ["Principal", "NotPrincipal"] as const) {
    const p = s[key];
    if (p === undefined || p === "*") continue;
    if (!isObject(p) || !Object.values(p).every(isStrings)) throw new PolicyDocumentError(`${where}.${key} must be "*" or an object of strings or lists of strings`);
  }
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) throw new PolicyDocumentError(`${where}.Condition must be an object`);
    for (const [operator, keys] of Object.entries(s.Condition)) {
      if (!isObject(keys)) throw new PolicyDocumentError(`${where}.Condition.${operator} must be an object of condition keys`);
      for (const [key, value] of Object.entries(keys)) {
        if (!isStrings(value) && typeof value !== "boolean" && typeof value !== "number") throw new PolicyDocumentError(`${where}.Condition.${operator}.${key} must be a string, a boolean or a list of strings`);
      }
    }
  }
  return s as unknown as Statement;
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions compare without case. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!/[*?]/.test(pattern)) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? "i" : "c"}${pattern}`;
  let re = PATTERNS.get(key);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "is" : "s");
    if (PATTERNS.size > 10_000) PATTERNS.clear();
    PATTERNS.set(key, re);
  }
  return re.test(value);
}

// The patterns a proof over a large plan matches again and again, compiled once.
const PATTERNS = new Map<string, RegExp>();

/** Who asks: a role (by ARN), or an AWS service principal. */
export type Principal = { arn: string; account: string } | { service: string };

export interface Request {
  principal: Principal;
  action: string;
  resource: string;
  /** Condition keys of the request: `aws:RequestTag/...`, `s3:DataAccessPointArn`, ... (lower-cased on lookup). */
  context?: Record<string, string | string[]>;
  /**
   * Ask for the most the requester can get: every condition key the context does not fix is the requester's to
   * choose (an Allow on it may apply, a Deny on it may be avoided), and an unknown operator may go either way. An
   * isolation proof asks this; a path that must work asks without it (the least it can count on).
   */
  worstCase?: boolean;
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

/** Whether every condition of a statement holds; undefined when an operator is unknown (or, in the worst case, a key free). */
export function conditionsHold(condition: Statement["Condition"], context: Request["context"], worstCase = false): boolean | undefined {
  let free = false;
  for (const [rawOperator, keys] of Object.entries(condition ?? {})) {
    const ifExists = rawOperator.endsWith("IfExists");
    const operator = rawOperator.replace(/IfExists$/, "");
    for (const [key, value] of Object.entries(keys)) {
      const want = list(value);
      // A key the context fixes as absent (an empty list) is missing, not the requester's to choose.
      const found = lookup(context, key);
      const have = found !== undefined && found.length === 0 ? undefined : found;
      if (found === undefined && worstCase) {
        free = true;
        continue;
      }
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
  return free ? undefined : true;
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
  const held = conditionsHold(s.Condition, r.context, r.worstCase === true);
  // Unknown: the least a request can count on keeps an Allow out and a Deny in; the worst case the other way round.
  if (held === undefined) return (s.Effect === "Deny") !== (r.worstCase === true) ? who : "no";
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

/**
 * How a resource policy (a trust, key, bucket or access-point policy) lets a principal in, on its own: "yes" when a
 * statement names it (or everyone), "account" when one names its account (the principal's own IAM policies then
 * decide, so the account is in), "no" when none does or a Deny applies.
 */
export function admission(policy: NamedPolicy, r: Request): { admits: Applies; by: string[] } {
  const denied = policy.document.Statement.some((s) => s.Effect === "Deny" && applies(s, r, true) !== "no");
  if (denied) return { admits: "no", by: [] };
  const hits = policy.document.Statement.flatMap((s, i) => {
    if (s.Effect !== "Allow") return [];
    const a = applies(s, r, true);
    return a === "no" ? [] : [{ a, by: `${policy.name}#${s.Sid ?? i}` }];
  });
  const admits: Applies = hits.some((h) => h.a === "yes") ? "yes" : hits.length ? "account" : "no";
  return { admits, by: hits.map((h) => h.by) };
}
