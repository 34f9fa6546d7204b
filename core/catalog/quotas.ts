import type { ServiceQuota } from "./types";

// Service quotas a factory runs into, with AWS's default value (docs/sources.md#eks-service-quotas,
// docs/sources.md#ec2-placement-groups, #ec2-capacity-blocks). Confirm each default with
// `aws service-quotas get-aws-default-service-quota --service-code <code> --quota-code <code>`.

const quotas: ServiceQuota[] = [
  {
    key: "ec2.on-demand-p-vcpus", serviceCode: "ec2", quotaCode: "L-417A185B",
    name: "Running On-Demand P instances (vCPUs)", defaultValue: 0, adjustable: true, ceiling: null, ceilingSource: null, unit: "vCPUs",
    source: "Service Quotas console [U: new accounts start at 0 or a few dozen vCPUs]",
  },
  {
    key: "ec2.on-demand-standard-vcpus", serviceCode: "ec2", quotaCode: "L-1216C47A",
    name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (vCPUs)", defaultValue: 5, adjustable: true, ceiling: null, ceilingSource: null, unit: "vCPUs",
    source: "AWS CLI service-quotas example, get-aws-default-service-quota ec2 L-1216C47A [P]",
  },
  {
    key: "ec2.spot-p-vcpus", serviceCode: "ec2", quotaCode: "L-7212CCBC",
    name: "All P Spot Instance Requests (vCPUs)", defaultValue: 0, adjustable: true, ceiling: null, ceilingSource: null, unit: "vCPUs",
    source: "Service Quotas console [U]",
  },
  {
    key: "ec2.placement-groups", serviceCode: "ec2", quotaCode: "hard limit",
    name: "Placement groups per Region", defaultValue: 500, adjustable: false, ceiling: 500, ceilingSource: "docs/sources.md#ec2-placement-groups [P]", unit: "groups",
    source: "EC2 placement group limitations [P]",
  },
  {
    key: "ec2.capacity-block-instances", serviceCode: "ec2", quotaCode: "hard limit",
    name: "Instances across all Capacity Blocks", defaultValue: 256, adjustable: false, ceiling: 256, ceilingSource: "docs/sources.md#ec2-capacity-blocks [P]", unit: "instances",
    source: "EC2 Capacity Blocks for ML [P]",
  },
  {
    key: "vpc.network-interfaces", serviceCode: "vpc", quotaCode: "L-DF5E4CA3",
    name: "Network interfaces per Region", defaultValue: 5000, adjustable: true, ceiling: null, ceilingSource: null, unit: "interfaces",
    source: "Amazon VPC quotas [U]",
  },
  {
    key: "vpc.ipv4-cidr-blocks-per-vpc", serviceCode: "vpc", quotaCode: "L-83CA0A9D",
    name: "IPv4 CIDR blocks per VPC", defaultValue: 5, adjustable: true, ceiling: null, ceilingSource: null, unit: "CIDR blocks",
    source: "Amazon VPC quotas (adjustable up to 50) [U]",
  },
  {
    key: "vpc.subnets-per-vpc", serviceCode: "vpc", quotaCode: "L-407747CB",
    name: "Subnets per VPC", defaultValue: 200, adjustable: true, ceiling: null, ceilingSource: null, unit: "subnets",
    source: "Amazon VPC quotas [U]",
  },
  {
    key: "vpc.interface-endpoints-per-vpc", serviceCode: "vpc", quotaCode: "L-29B6F2EB",
    name: "Interface VPC endpoints per VPC", defaultValue: 50, adjustable: true, ceiling: null, ceilingSource: null, unit: "endpoints",
    source: "Amazon VPC quotas [U]",
  },
  {
    key: "eks.managed-node-groups-per-cluster", serviceCode: "eks", quotaCode: "L-6D54EA21",
    name: "Managed node groups per cluster", defaultValue: 30, adjustable: true, ceiling: 100,
    ceilingSource: "docs/sources.md#eks-node-group-ceiling [S: aws/containers-roadmap#2272, \"the current hard limit of 100 EKS managed node groups\"]",
    unit: "node groups",
    source: "docs/sources.md#eks-service-quotas [S]",
  },
  {
    key: "eks.nodes-per-managed-node-group", serviceCode: "eks", quotaCode: "L-BD136A63",
    name: "Nodes per managed node group", defaultValue: 450, adjustable: false, ceiling: 450,
    ceilingSource: "docs/sources.md#eks-service-quotas [S: not adjustable]",
    unit: "nodes",
    source: "docs/sources.md#eks-service-quotas [S; older documentation says 100]",
  },
  {
    key: "autoscaling.groups-per-region", serviceCode: "autoscaling", quotaCode: "L-CDE20ADC",
    name: "Auto Scaling groups per Region", defaultValue: 500, adjustable: true, ceiling: null, ceilingSource: null, unit: "groups",
    source: "docs/sources.md#ec2-auto-scaling-quotas [S]",
  },
  {
    key: "fsx.lustre-persistent-2-storage-gib", serviceCode: "fsx", quotaCode: "L-8F1B9C74",
    name: "Lustre Persistent_2 storage capacity", defaultValue: 100800, adjustable: true, ceiling: null, ceilingSource: null, unit: "GiB",
    source: "Service Quotas default list, account-wide and adjustable [S: third-party export of list-aws-default-service-quotas]",
  },
  {
    key: "eks.pod-identity-associations", serviceCode: "eks", quotaCode: "not adjustable",
    name: "Pod Identity associations per cluster", defaultValue: 1000, adjustable: false, ceiling: 1000, ceilingSource: "docs/sources.md#eks-service-quotas [P]", unit: "associations",
    source: "EKS service quotas [P]",
  },
];

export const SERVICE_QUOTAS: Readonly<Record<string, ServiceQuota>> = Object.fromEntries(quotas.map((q) => [q.key, q]));

export function serviceQuota(key: string): ServiceQuota {
  const q = SERVICE_QUOTAS[key];
  if (!q) throw new Error(`unknown service quota ${key}`);
  return q;
}
