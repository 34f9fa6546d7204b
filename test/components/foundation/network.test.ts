import { beforeAll, describe, expect, it } from "vitest";
import type { NetworkPlan } from "../../../core/blueprint/types";
import { VPC_INTERFACE_ENDPOINTS } from "../../../core/catalog/endpoints";
import { installRecordingMocks, settle, type Recorder } from "../../support/recording-mocks";

const plan: NetworkPlan = {
  vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"],
  podAddressing: "prefix-delegation",
  subnets: [
    { name: "gpu-eu-north-1a-0", role: "gpu", availabilityZone: "eu-north-1a", cidr: "10.1.0.0/16", vpcCidr: "10.1.0.0/16", usableAddresses: 65531, plannedAddresses: 40000, utilisation: 0.61 },
    { name: "system-eu-north-1a", role: "system", availabilityZone: "eu-north-1a", cidr: "10.0.0.0/20", vpcCidr: "10.0.0.0/16", usableAddresses: 4091, plannedAddresses: 500, utilisation: 0.12 },
    { name: "system-eu-north-1b", role: "system", availabilityZone: "eu-north-1b", cidr: "10.0.16.0/20", vpcCidr: "10.0.0.0/16", usableAddresses: 4091, plannedAddresses: 500, utilisation: 0.12 },
    { name: "endpoints-eu-north-1a", role: "endpoints", availabilityZone: "eu-north-1a", cidr: "10.0.32.0/24", vpcCidr: "10.0.0.0/16", usableAddresses: 251, plannedAddresses: 14, utilisation: 0.06 },
    { name: "endpoints-eu-north-1b", role: "endpoints", availabilityZone: "eu-north-1b", cidr: "10.0.33.0/24", vpcCidr: "10.0.0.0/16", usableAddresses: 251, plannedAddresses: 14, utilisation: 0.06 },
  ],
  addressesNeeded: 41028,
  addressesUsable: 74215,
  maxSubnetUtilisation: 0.61,
  systemAvailabilityZones: ["eu-north-1a", "eu-north-1b"],
  natGateway: false,
};

let rec: Recorder;

beforeAll(async () => {
  rec = installRecordingMocks();
  const { FactoryNetwork } = await import("../../../components/foundation/network");
  new FactoryNetwork("gf", { region: "eu-north-1", plan, keyArn: "arn:aws:kms:eu-north-1:123456789012:key/k", flowLogRetentionDays: 365 });
  await settle();
});

describe("the factory network", () => {
  it("declares one subnet per planned subnet, in its AZ, with no public addresses", () => {
    const subnets = rec.ofType("aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => s.inputs.cidrBlock).sort()).toEqual(plan.subnets.map((s) => s.cidr).sort());
    for (const s of subnets) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
    expect(rec.one("aws:ec2/subnet:Subnet", "gpu-eu-north-1a-0").inputs.availabilityZone).toBe("eu-north-1a");
  });

  it("adds every CIDR block beyond the first to the VPC", () => {
    expect(rec.one("aws:ec2/vpc:Vpc", "-vpc").inputs.cidrBlock).toBe("10.0.0.0/16");
    const extra = rec.ofType("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation");
    expect(extra.map((a) => a.inputs.cidrBlock)).toEqual(["10.1.0.0/16"]);
  });

  it("has no internet gateway, NAT gateway or route to the internet", () => {
    expect(rec.ofType("aws:ec2/internetGateway:InternetGateway")).toHaveLength(0);
    expect(rec.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(rec.ofType("aws:ec2/route:Route")).toHaveLength(0);
    for (const rt of rec.ofType("aws:ec2/routeTable:RouteTable")) expect(rt.inputs.routes ?? []).toEqual([]);
  });

  it("reaches AWS through private interface endpoints in the endpoint subnets and an S3 gateway", () => {
    const endpoints = rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
    const interfaces = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
    expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual(
      VPC_INTERFACE_ENDPOINTS.map((s) => `com.amazonaws.eu-north-1.${s}`).sort(),
    );
    for (const e of interfaces) {
      expect(e.inputs.privateDnsEnabled).toBe(true);
      expect(e.inputs.subnetIds).toEqual(["gf-endpoints-eu-north-1a-id", "gf-endpoints-eu-north-1b-id"]);
    }
    const s3 = endpoints.find((e) => e.inputs.serviceName === "com.amazonaws.eu-north-1.s3");
    expect(s3?.inputs.vpcEndpointType).toBe("Gateway");
    expect(s3?.inputs.routeTableIds).toHaveLength(2);
  });

  it("lets EFA traffic flow only between members of the EFA security group", () => {
    const rules = [
      ...rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      ...rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
    ].filter((r) => r.name.includes("-sg-efa-"));
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.inputs.ipProtocol).toBe("-1");
      expect(r.inputs.referencedSecurityGroupId).toBe("gf-sg-efa-id");
      expect(r.inputs.cidrIpv4).toBeUndefined();
    }
  });

  it("opens the endpoints to HTTPS from the VPC's own blocks only", () => {
    const rules = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.includes("-sg-endpoints-"));
    expect(rules.map((r) => r.inputs.cidrIpv4).sort()).toEqual(plan.vpcCidrs);
    for (const r of rules) expect([r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol]).toEqual([443, 443, "tcp"]);
  });

  it("keeps flow logs of all traffic in an encrypted log group with a retention", () => {
    const flowLog = rec.one("aws:ec2/flowLog:FlowLog", "-flow-log");
    expect(flowLog.inputs.trafficType).toBe("ALL");
    expect(flowLog.inputs.logDestinationType).toBe("cloud-watch-logs");
    const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "-flow-logs");
    expect(group.inputs.retentionInDays).toBe(365);
    expect(group.inputs.kmsKeyId).toBe("arn:aws:kms:eu-north-1:123456789012:key/k");
  });

  it("asks for no provider function the mocks do not answer", () => {
    expect(rec.unmockedCalls).toEqual([]);
  });
});
