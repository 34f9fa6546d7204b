import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { region } from "../../../core/catalog/regions";
import { parseSecretArn } from "../../../core/spec/secret-arn";
import { aiFactoryDoc, errorsOf, only, validate } from "../../fixtures/spec/specs";
import { expectForm } from "../../fixtures/spec/finding-form";

// slurm.identity.sssd.secretArn: the full ARN of a Secrets Manager secret of the stack's region and partition.

const STOCKHOLM = region("eu-north-1")!;
const GOOD = "arn:aws:secretsmanager:eu-north-1:111122223333:secret:directory/sssd-conf-AbC123";
const PATH = "gigafactory:factory.slurm.identity.sssd.secretArn";
const withArn = (secretArn: unknown) => ({ ...aiFactoryDoc(), slurm: { identity: { sssd: { secretArn } } } });

describe("a directory's secret ARN", () => {
  it("takes a full ARN of the region, and keeps its parts", () => {
    expect(parseSecretArn(` ${GOOD} `, STOCKHOLM)).toEqual({ ok: true, value: { arn: GOOD, partition: "aws", region: "eu-north-1", account: "111122223333", name: "directory/sssd-conf" } });
  });

  it.each([
    ["directory/sssd-conf", /not a Secrets Manager ARN/],
    ["arn:aws:secretsmanager:eu-north-1:111122223333:secret:directory/sssd-conf", /not a full secret ARN/],
    ["arn:aws:secretsmanager:eu-north-1:111122223333:secret:directory/sssd-conf-AbC12", /not a full secret ARN/],
    ["arn:aws:secretsmanager:eu-north-1:1111222233:secret:directory/sssd-conf-AbC123", /not a full secret ARN/],
    ["arn:aws:secretsmanager:eu-north-1:111122223333:secret:*-AbC123", /not a full secret ARN/],
    ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:directory/sssd-conf-AbC123", /in eu-west-1, not the stack's region eu-north-1/],
    ["arn:aws-eusc:secretsmanager:eu-north-1:111122223333:secret:directory/sssd-conf-AbC123", /aws-eusc partition/],
    ["arn:aws:ssm:eu-north-1:111122223333:parameter/sssd", /not a Secrets Manager ARN/],
  ])("refuses %s", (text, problem) => {
    const parsed = parseSecretArn(text, STOCKHOLM);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it("is a finding at its YAML path, never a crash, for any text or value", () => {
    const texts = fc.oneof(
      fc.string(),
      fc.constantFrom(GOOD, GOOD.replace("eu-north-1", "eu-central-1"), GOOD.replace("arn:aws:", "arn:aws-eusc:")),
      fc.tuple(fc.constantFrom("arn:aws:secretsmanager:", "arn:aws-eusc:secretsmanager:"), fc.string(), fc.constantFrom(":111122223333:secret:", ":1:secret:"), fc.string(), fc.string({ maxLength: 8 })).map((p) => p.join("")),
      fc.anything(),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const parsed = parseSecretArn(text, STOCKHOLM);
        if (parsed.ok) {
          expect(parsed.value.region).toBe("eu-north-1");
          expect(parsed.value.partition).toBe("aws");
          expect(parsed.value.arn).toMatch(/^arn:aws:secretsmanager:eu-north-1:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/);
        }
        const findings = errorsOf(validate(withArn(text)));
        if (parsed.ok) expect(findings.filter((f) => f.path.startsWith("gigafactory:factory.slurm"))).toEqual([]);
        else {
          expect(findings.length).toBeGreaterThan(0);
          expect(findings.every((f) => f.path.startsWith("gigafactory:factory.slurm"))).toBe(true);
          expectForm(findings);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("says what is wrong and what to do, at the field", () => {
    const f = only(validate(withArn(GOOD.replace("eu-north-1", "eu-west-1"))), PATH);
    expect(f.level).toBe("error");
    expect(f.hint).toMatch(/replicate-secret-to-regions/);
  });

  it("refuses the factory's own Slurm secrets as a directory", () => {
    const name = validate(aiFactoryDoc()).spec!.name;
    const own = withArn(`arn:aws:secretsmanager:eu-north-1:111122223333:secret:${name}/slurm/auth-AbC123`);
    expect(only(validate(own), PATH).message).toMatch(/factory's own Slurm secrets/);
  });

  it("is absent unless the spec names one, and reaches the blueprint's plan when it does", () => {
    expect(validate(aiFactoryDoc()).spec!.slurm).toEqual({ identity: {} });
    expect(validate(withArn(GOOD)).spec!.slurm.identity.sssd).toEqual({ secretArn: GOOD });
    expect(errorsOf(validate({ ...aiFactoryDoc(), slurm: { identity: { sssd: { secretArn: GOOD, key: "x" } } } }))[0]!.path).toMatch(/^gigafactory:factory\.slurm\.identity\.sssd/);
  });
});
