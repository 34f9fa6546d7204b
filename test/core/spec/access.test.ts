import { describe, expect, it } from "vitest";
import { projectWith } from "../../fixtures/diff/real-plans";
import { aiFactoryDoc, at, errorsOf, only, validate } from "../../fixtures/spec/specs";
import { gigafactoryServed } from "../../support/cli-run";

// The deploy path into the private cluster (access:): every bad value is an error at its own YAML path.

const P = "gigafactory:factory.access";
const withAccess = (access: unknown) => validate({ ...aiFactoryDoc(), access });

describe("access", () => {
  it("defaults to the runner on and nobody else admitted", () => {
    const v = validate(aiFactoryDoc());
    expect(v.spec?.access).toEqual({ runner: { enabled: true, timeoutMinutes: 60 }, operatorCidrs: [], operatorSecurityGroupIds: [], publicEndpointCidrs: [] });
  });

  it("takes private operator networks, operator groups and narrow public endpoint ranges", () => {
    const v = withAccess({ operatorCidrs: ["10.200.0.0/16", "198.51.100.0/24"], operatorSecurityGroupIds: ["sg-0123abcd", "sg-0123456789abcdef0"], publicEndpointCidrs: ["203.0.113.0/24"] });
    expect(errorsOf(v)).toEqual([]);
    expect(v.spec?.access.publicEndpointCidrs).toEqual(["203.0.113.0/24"]);
  });

  it("refuses CIDRs that do not parse, have host bits set or are IPv6", () => {
    const v = withAccess({ operatorCidrs: ["10.200.0.0/33", "10.200.1.0/16", "fd00::/8"] });
    expect(only(v, `${P}.operatorCidrs[0]`).message).toBe('"10.200.0.0/33" is not an IPv4 CIDR block');
    expect(only(v, `${P}.operatorCidrs[1]`).hint).toMatch(/10\.200\.0\.0\/16$/);
    expect(only(v, `${P}.operatorCidrs[2]`).message).toMatch(/IPv6 block/);
  });

  it("grants the runner the state backend it names: a bucket's ARN, a key's ARN in the factory's region", () => {
    const key = "arn:aws:kms:eu-north-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100";
    const good = withAccess({ runner: { state: { bucketArn: "arn:aws:s3:::gf-pulumi-state", kmsKeyArn: key } } });
    expect(errorsOf(good)).toEqual([]);
    expect(good.spec?.access.runner.state).toEqual({ bucketArn: "arn:aws:s3:::gf-pulumi-state", kmsKeyArn: key });
    const bad = withAccess({ runner: { state: { bucketArn: "s3://gf-pulumi-state", kmsKeyArn: "alias/pulumi" } } });
    expect(only(bad, `${P}.runner.state.bucketArn`).hint).toMatch(/arn:aws:s3:::<bucket>/);
    expect(only(bad, `${P}.runner.state.kmsKeyArn`).message).toMatch(/is not a KMS key's ARN/);
    const elsewhere = withAccess({ runner: { state: { bucketArn: "arn:aws:s3:::gf-pulumi-state", kmsKeyArn: key.replace("eu-north-1", "us-east-1") } } });
    expect(only(elsewhere, `${P}.runner.state.kmsKeyArn`).message).toMatch(/is in us-east-1, not in the factory's region/);
  });

  it("never opens the public endpoint to the whole internet", () => {
    const v = withAccess({ publicEndpointCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"] });
    expect(at(v, `${P}.publicEndpointCidrs[0]`)).toEqual([]);
    expect(only(v, `${P}.publicEndpointCidrs[1]`).message).toMatch(/0\.0\.0\.0\/0 is the whole internet: the public endpoint never takes it/);
    expect(only(v, `${P}.publicEndpointCidrs[2]`).message).toMatch(/::\/0 is the whole IPv6 internet/);
  });

  it("refuses an operator network that is the internet, or a public range wider than /16", () => {
    const v = withAccess({ operatorCidrs: ["0.0.0.0/0", "8.0.0.0/8", "10.0.0.0/8"] });
    expect(only(v, `${P}.operatorCidrs[0]`).message).toMatch(/whole internet/);
    expect(only(v, `${P}.operatorCidrs[1]`).message).toMatch(/public range wider than \/16/);
    expect(at(v, `${P}.operatorCidrs[2]`)).toEqual([]);
  });

  it("warns that a private range on the public endpoint never matches", () => {
    expect(only(withAccess({ publicEndpointCidrs: ["10.9.0.0/16"] }), `${P}.publicEndpointCidrs[0]`).level).toBe("warning");
  });

  it("refuses security group ids that are not sg- and 8 or 17 hex digits, and duplicates", () => {
    const v = withAccess({ operatorSecurityGroupIds: ["sg-12345", "SG-0123ABCD", "sg-0123abcd", "sg-0123abcd"] });
    expect(only(v, `${P}.operatorSecurityGroupIds[0]`).message).toBe('"sg-12345" is not a security group id');
    expect(only(v, `${P}.operatorSecurityGroupIds[1]`).level).toBe("error");
    expect(at(v, `${P}.operatorSecurityGroupIds[2]`)).toEqual([]);
    expect(only(v, `${P}.operatorSecurityGroupIds[3]`).message).toBe("sg-0123abcd is listed twice");
  });

  it("refuses a runner timeout CodeBuild does not take, and a factory nothing can reach", () => {
    expect(only(withAccess({ runner: { timeoutMinutes: 3000 } }), `${P}.runner.timeoutMinutes`).hint).toBe("use 5 to 2160");
    expect(only(withAccess({ runner: { enabled: false } }), P).message).toMatch(/nothing can reach the cluster's private API server/);
    expect(errorsOf(withAccess({ runner: { enabled: false }, operatorCidrs: ["10.200.0.0/16"] }))).toEqual([]);
  });

  it("names an unknown key with a did-you-mean", () => {
    const f = only(withAccess({ operatorCidr: ["10.200.0.0/16"] }), `${P}.operatorCidr`);
    expect(f.message).toBe("unknown key operatorCidr");
    expect(f.hint).toMatch(/^did you mean operatorCidrs\?/);
    expect(only(withAccess({ runner: { enable: true } }), `${P}.runner.enable`).hint).toMatch(/^did you mean enabled\?/);
  });

  it("stops the command with exit 2 and the YAML path of each bad value", async () => {
    const dir = projectWith("dev", (y) => y.replace("runner: { enabled: true }", "runner: { enabled: true }\n      operatorCidrs: [0.0.0.0/0]\n      publicEndpointCidrs: [0.0.0.0/0]"));
    const r = await gigafactoryServed(["plan", "--stack", "dev", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error gigafactory:factory\.access\.operatorCidrs\[0\]: 0\.0\.0\.0\/0 is the whole internet/);
    expect(r.stderr).toMatch(/error gigafactory:factory\.access\.publicEndpointCidrs\[0\]: 0\.0\.0\.0\/0 is the whole internet/);
  });
});
