// aws.iam.getPolicyDocument rendered offline the way the provider renders it, so a snapshot holds the real
// policy JSON that policies and reviewers read.

interface Principal {
  type: string;
  identifiers: string[];
}
interface Condition {
  test: string;
  variable: string;
  values: string[];
}
interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: Principal[];
  notPrincipals?: Principal[];
  conditions?: Condition[];
}
export interface PolicyDocumentArgs {
  version?: string;
  policyId?: string;
  statements?: Statement[];
  sourcePolicyDocuments?: string[];
  overridePolicyDocuments?: string[];
}

/** One value stays a string, several become a list: IAM's (and the provider's) compact form. */
const oneOrMany = (values: string[]) => (values.length === 1 ? values[0] : [...values]);

function principals(list: Principal[]): unknown {
  if (list.length === 1 && list[0].type === "*" && list[0].identifiers.every((i) => i === "*")) return "*";
  const out: Record<string, string[]> = {};
  for (const p of list) out[p.type] = [...(out[p.type] ?? []), ...p.identifiers];
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, oneOrMany(v)]));
}

function conditions(list: Condition[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of list) {
    out[c.test] ??= {};
    out[c.test][c.variable] = [...(out[c.test][c.variable] ?? []), ...c.values];
  }
  return Object.fromEntries(
    Object.entries(out).map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, oneOrMany(v)]))]),
  );
}

function renderStatement(s: Statement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.sid) out.Sid = s.sid;
  out.Effect = s.effect ?? "Allow";
  if (s.actions?.length) out.Action = oneOrMany(s.actions);
  if (s.notActions?.length) out.NotAction = oneOrMany(s.notActions);
  if (s.resources?.length) out.Resource = oneOrMany(s.resources);
  if (s.notResources?.length) out.NotResource = oneOrMany(s.notResources);
  if (s.principals?.length) out.Principal = principals(s.principals);
  if (s.notPrincipals?.length) out.NotPrincipal = principals(s.notPrincipals);
  if (s.conditions?.length) out.Condition = conditions(s.conditions);
  return out;
}

/** The policy JSON: source documents first, then the statements, then overrides replacing statements by Sid. */
export function renderPolicyDocument(args: PolicyDocumentArgs): { json: string; minifiedJson: string } {
  const statements: Record<string, unknown>[] = [];
  const bySid = (list: Record<string, unknown>[], s: Record<string, unknown>) => {
    const i = s.Sid === undefined ? -1 : list.findIndex((x) => x.Sid === s.Sid);
    if (i >= 0) list[i] = s;
    else list.push(s);
  };
  for (const doc of args.sourcePolicyDocuments ?? []) for (const s of statementsOf(doc)) bySid(statements, s);
  for (const s of args.statements ?? []) bySid(statements, renderStatement(s));
  for (const doc of args.overridePolicyDocuments ?? []) for (const s of statementsOf(doc)) bySid(statements, s);
  const document: Record<string, unknown> = { Version: args.version ?? "2012-10-17" };
  if (args.policyId) document.Id = args.policyId;
  document.Statement = statements;
  return { json: JSON.stringify(document, null, 2), minifiedJson: JSON.stringify(document) };
}

function statementsOf(json: string): Record<string, unknown>[] {
  try {
    const parsed = JSON.parse(json) as { Statement?: unknown };
    const list = parsed.Statement;
    return Array.isArray(list) ? (list as Record<string, unknown>[]) : list ? [list as Record<string, unknown>] : [];
  } catch {
    return [];
  }
}
