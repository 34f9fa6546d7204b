import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, parsePolicy, PolicyDocumentError, trusts, wildcardMatch } from "../../../policies/lib/iam/evaluate";

// IAM's evaluation as the proofs over a plan rely on it: an explicit deny wins, the account's root in a resource
// policy only delegates to IAM, an operator the evaluator does not know never widens access.

const role = { arn: "arn:aws:iam::111122223333:role/a", account: "111122223333" };
const doc = (...Statement: object[]) => parsePolicy({ Version: "2012-10-17", Statement });
const allowGet = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/tenants/a/*" });

describe("the IAM evaluator", () => {
  it("allows what an identity policy allows, and nothing past its resource pattern", () => {
    expect(decide({ principal: role, action: "s3:GetObject", resource: "arn:aws:s3:::b/tenants/a/x" }, [{ name: "id", document: allowGet }], []).allowed).toBe(true);
    expect(decide({ principal: role, action: "s3:getobject", resource: "arn:aws:s3:::b/tenants/a/x" }, [{ name: "id", document: allowGet }], []).allowed).toBe(true);
    expect(decide({ principal: role, action: "s3:GetObject", resource: "arn:aws:s3:::b/tenants/ab/x" }, [{ name: "id", document: allowGet }], []).allowed).toBe(false);
  });

  it("lets an explicit deny of a resource policy win over any allow", () => {
    const deny = doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } } });
    const r = { principal: role, action: "s3:GetObject", resource: "arn:aws:s3:::b/tenants/a/x" };
    expect(decide({ ...r, context: { "aws:PrincipalAccount": "444455556666" } }, [{ name: "id", document: allowGet }], [{ name: "bucket", document: deny }])).toEqual({ allowed: false, by: ["bucket#0"] });
    // A negated operator holds when the key is missing: the deny applies.
    expect(decide(r, [{ name: "id", document: allowGet }], [{ name: "bucket", document: deny }]).allowed).toBe(false);
  });

  it("reads the account's root in a key policy as a delegation to IAM, a role's ARN as a grant", () => {
    const key = doc(
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:role/b"] }, Action: "kms:Decrypt", Resource: "*" },
    );
    expect(decide({ principal: role, action: "kms:Decrypt", resource: "k" }, [], [{ name: "key", document: key }]).allowed).toBe(false);
    expect(decide({ principal: { ...role, arn: "arn:aws:iam::111122223333:role/b" }, action: "kms:Decrypt", resource: "k" }, [], [{ name: "key", document: key }]).allowed).toBe(true);
  });

  it("never widens access through a condition operator it does not know", () => {
    const odd = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { NumericLessThan: { "s3:max-keys": "10" } } });
    expect(decide({ principal: role, action: "s3:GetObject", resource: "x", context: { "s3:max-keys": "1" } }, [{ name: "id", document: odd }], []).allowed).toBe(false);
  });

  it("trusts a service principal only with the session tags its conditions name", () => {
    const trust = doc({ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": "a" } } });
    const pods = { service: "pods.eks.amazonaws.com" };
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: { "aws:RequestTag/kubernetes-namespace": "a" } }).allowed).toBe(true);
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole", context: { "aws:RequestTag/kubernetes-namespace": "b" } }).allowed).toBe(false);
    expect(trusts(trust, { principal: pods, action: "sts:AssumeRole" }).allowed).toBe(false);
    expect(trusts(trust, { principal: { service: "ec2.amazonaws.com" }, action: "sts:AssumeRole", context: { "aws:RequestTag/kubernetes-namespace": "a" } }).allowed).toBe(false);
  });

  it("matches IAM wildcards literally otherwise", () => {
    expect(wildcardMatch("arn:aws:s3:::b/tenants/a/*", "arn:aws:s3:::b/tenants/a/x/y")).toBe(true);
    expect(wildcardMatch("s3:Get?bject", "s3:GetObject")).toBe(true);
    expect(wildcardMatch("a.b", "axb")).toBe(false);
  });

  it("refuses a malformed document with a PolicyDocumentError, whatever the input", () => {
    expect(() => parsePolicy("{")).toThrow(PolicyDocumentError);
    expect(() => parsePolicy({ Statement: [{ Effect: "Maybe", Action: "x" }] })).toThrow(/Effect must be Allow or Deny/);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parsePolicy(value);
        } catch (e) {
          return e instanceof PolicyDocumentError;
        }
        return true;
      }),
    );
  });
});
