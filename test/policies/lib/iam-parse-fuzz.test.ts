import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admission, decide, parsePolicy, PolicyDocumentError } from "../../../policies/lib/iam/evaluate";

// The policy-document parser on any input: a document it accepts evaluates without throwing, anything else is a
// PolicyDocumentError naming the element, never another error. Inputs mix well-formed statements with every JSON
// value in every element.

const anyJson = fc.jsonValue({ maxDepth: 3 });
const strings = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }));
const element = (good: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) });
const statement = fc.record(
  {
    Sid: element(fc.string()),
    Effect: element(fc.constantFrom("Allow", "Deny")),
    Principal: element(fc.oneof(fc.constant("*"), fc.record({ AWS: strings }), fc.record({ Service: strings }))),
    Action: element(strings),
    NotAction: element(strings),
    Resource: element(strings),
    Condition: element(fc.dictionary(fc.constantFrom("StringEquals", "StringLike", "Bool", "StringNotEquals", "ArnLike", "NumericLessThan", "StringEqualsIfExists"), fc.dictionary(fc.string(), fc.oneof(strings, fc.boolean())))),
  },
  { requiredKeys: [] },
);
const documents = fc.oneof(
  fc.record({ Version: element(fc.constant("2012-10-17")), Statement: element(fc.oneof(statement, fc.array(fc.oneof({ weight: 4, arbitrary: statement }, { weight: 1, arbitrary: anyJson }), { maxLength: 4 }))) }, { requiredKeys: [] }),
  anyJson,
);

describe("parsePolicy, fuzzed", () => {
  it("accepts a document IAM's grammar accepts and refuses the rest with a PolicyDocumentError", () => {
    fc.assert(
      fc.property(documents, fc.boolean(), fc.boolean(), (doc, asText, worstCase) => {
        let parsed;
        try {
          parsed = parsePolicy(asText ? JSON.stringify(doc) ?? "" : doc, "fuzz");
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyDocumentError);
          expect((e as Error).message).toMatch(/^fuzz: /);
          return;
        }
        const request = { principal: { arn: "arn:aws:iam::111122223333:role/r", account: "111122223333" }, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", context: { "aws:PrincipalAccount": "111122223333" }, worstCase };
        const named = { name: "fuzz", document: parsed };
        expect(typeof decide(request, [named], [named]).allowed).toBe("boolean");
        expect(["yes", "account", "no"]).toContain(admission(named, request).admits);
      }),
      { numRuns: 3000 },
    );
  });

  it("never lets text that is not JSON through", () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try {
        JSON.parse(text);
        return;
      } catch {
        expect(() => parsePolicy(text)).toThrow(PolicyDocumentError);
      }
    }));
  });
});

describe("the worst case an isolation proof asks for", () => {
  const doc = parsePolicy({ Statement: [
    { Sid: "FromTheEndpoint", Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } },
    { Sid: "NoPlainHttp", Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ] });
  const request = { principal: { arn: "arn:aws:iam::111122223333:role/r", account: "111122223333" }, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };
  it("counts an Allow on a key the requester chooses, and lets it avoid a Deny on one", () => {
    expect(decide(request, [{ name: "p", document: doc }], []).allowed).toBe(false);
    expect(decide({ ...request, worstCase: true }, [{ name: "p", document: doc }], [])).toEqual({ allowed: true, by: ["p#FromTheEndpoint"] });
  });
  it("keeps a key the context fixes as absent out of the requester's hands", () => {
    expect(decide({ ...request, worstCase: true, context: { "aws:SourceVpce": [] } }, [{ name: "p", document: doc }], []).allowed).toBe(false);
  });
});
