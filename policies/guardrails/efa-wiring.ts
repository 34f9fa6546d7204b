import type { StackValidationPolicy } from "@pulumi/policy";
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { configOf, exemptionsOnlySchema, type Exemption } from "../lib/config";
import { PlanIndex, planResourcesOf, type PlanResource } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asArray, asRecord, asString, at, isOpaque } from "../lib/values";
import { efaFactsOf, looksAccelerated } from "./instance-facts";

// A GPU node's launch template wires one EFA interface on every network card its type has (docs/sources.md#efa-multi-card: card 0
// device 0 the ENA primary, every card one efa or efa-only interface, an efa-only one never primary), runs in one
// availability zone (EFA stays inside one AZ), and lands in its scalable unit's cluster placement group, a
// capacity reservation made in one, or a capacity block (which needs no placement group).

type LaunchTemplateInputs = Unwrap<aws.ec2.LaunchTemplateArgs>;
type NetworkInterface = NonNullable<LaunchTemplateInputs["networkInterfaces"]>[number];

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
const SUBNET = "aws:ec2/subnet:Subnet";
const PLACEMENT_GROUP = "aws:ec2/placementGroup:PlacementGroup";
const CAPACITY_RESERVATION = "aws:ec2/capacityReservation:CapacityReservation";
const EFA_TYPES = new Set(["efa", "efa-only"]);

/** Problems with the interfaces of a launch template for a type with `cards` network cards and `efa` EFA interfaces. */
export function wiringProblems(interfaces: NetworkInterface[], cards: number, efa: number, instanceType: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const efaPerCard = new Map<number, number>();
  for (const [i, nic] of interfaces.entries()) {
    const card = nic.networkCardIndex === undefined ? 0 : Number(nic.networkCardIndex);
    const device = nic.deviceIndex === undefined ? i : Number(nic.deviceIndex);
    const kind = asString(nic.interfaceType) ?? "interface";
    if (isOpaque(nic.networkCardIndex) || isOpaque(nic.deviceIndex) || isOpaque(nic.interfaceType)) {
      problems.push({ reason: `network interface ${i} is not known at plan time`, fix: "build the interfaces from the catalog as plain values" });
      continue;
    }
    const slot = `${card}/${device}`;
    if (seen.has(slot)) problems.push({ reason: `two interfaces use network card ${card} device ${device}`, fix: "give every interface its own card and device index" });
    seen.add(slot);
    if (card < 0 || card >= cards) problems.push({ reason: `interface ${i} names network card ${card}, but ${instanceType} has cards 0-${cards - 1}`, fix: "use card indexes the type has" });
    if (EFA_TYPES.has(kind)) efaPerCard.set(card, (efaPerCard.get(card) ?? 0) + 1);
    if (card === 0 && device === 0 && kind === "efa-only") problems.push({ reason: "the primary interface (card 0, device 0) is efa-only, which carries no IP", fix: "make card 0 device 0 an ENA (interface) or efa interface" });
  }
  if (!seen.has("0/0")) problems.push({ reason: "no primary interface on card 0 device 0", fix: "put the ENA primary interface at networkCardIndex 0, deviceIndex 0" });
  const missing = Array.from({ length: cards }, (_, c) => c).filter((c) => !efaPerCard.has(c));
  if (missing.length > 0) {
    problems.push({ reason: `${instanceType} has ${cards} network cards but cards ${compact(missing)} carry no EFA interface`, fix: "add an efa-only interface at device 0 of every card (device 1 on card 0)" });
  }
  const total = [...efaPerCard.values()].reduce((a, b) => a + b, 0);
  if (total !== efa && missing.length === 0) {
    problems.push({ reason: `${total} EFA interfaces wired, ${instanceType} has ${efa}`, fix: `wire exactly ${efa}, one per card` });
  }
  return problems;
}

function compact(ns: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    parts.push(i === j ? String(ns[i]) : `${ns[i]}-${ns[j]}`);
    i = j;
  }
  return parts.join(", ");
}

interface Usage {
  users: PlanResource[];
  instanceType?: string;
}

/** The node groups and auto scaling groups that launch from a template. */
function usersOf(lt: PlanResource, index: PlanIndex): Usage {
  const users = index
    .dependentsOf(lt.urn)
    .filter((g) => (g.type === NODE_GROUP || g.type === AUTOSCALING_GROUP) && [...index.sourcesOf(g, "launchTemplate"), ...index.sourcesOf(g, "mixedInstancesPolicy")].some((d) => d.urn === lt.urn));
  const fromGroups = users.map((g) => asString(asArray(g.props.instanceTypes)[0])).find((t) => t !== undefined);
  return { users, instanceType: asString(lt.props.instanceType) ?? fromGroups };
}

function zonesOf(lt: PlanResource, users: PlanResource[], index: PlanIndex): { zones: Set<string>; unknown: boolean } {
  const zones = new Set<string>();
  let unknown = false;
  const add = (z: unknown) => {
    if (typeof z === "string" && !isOpaque(z)) zones.add(z);
    else if (z !== undefined) unknown = true;
  };
  add(at(lt.props, "placement.availabilityZone"));
  const subnets = [
    ...index.sourcesOf(lt, "networkInterfaces").filter((d) => d.type === SUBNET),
    ...users.flatMap((u) => index.sourcesOf(u, u.type === NODE_GROUP ? "subnetIds" : "vpcZoneIdentifiers").filter((d) => d.type === SUBNET)),
  ];
  // A subnet made by AZ ID reads back its zone's name; until then its AZ ID stands for the zone.
  for (const s of subnets) add(s.props.availabilityZone ?? s.props.availabilityZoneId);
  for (const u of users) for (const z of asArray(u.props.availabilityZones)) add(z);
  for (const cr of index.sourcesOf(lt, "capacityReservationSpecification").filter((d) => d.type === CAPACITY_RESERVATION)) add(cr.props.availabilityZone);
  return { zones, unknown };
}

function placementProblems(lt: PlanResource, users: PlanResource[], index: PlanIndex): Problem[] {
  const marketType = asString(at(lt.props, "instanceMarketOptions.marketType"));
  const reservation = at(lt.props, "capacityReservationSpecification.capacityReservationTarget.capacityReservationId");
  if (marketType === "capacity-block") {
    if (reservation === undefined || reservation === "") {
      return [{ reason: "the template buys capacity-block instances without naming the block's reservation", fix: "set capacityReservationSpecification.capacityReservationTarget.capacityReservationId" }];
    }
    const groups = users.filter((u) => u.type === NODE_GROUP && asString(u.props.capacityType) !== "CAPACITY_BLOCK");
    return groups.map((g) => ({ reason: `node group ${g.name} launches a capacity block without capacityType CAPACITY_BLOCK`, fix: "set capacityType: \"CAPACITY_BLOCK\" on the node group" }));
  }
  const groupName = at(lt.props, "placement.groupName") ?? at(lt.props, "placement.groupId");
  // A reservation AWS delivered (by id or resource group, not made by this plan) sits where AWS placed it: targeted
  // with capacity-reservations-only, its nodes land there or not at all.
  const targeted = reservation !== undefined && reservation !== "" ? reservation : at(lt.props, "capacityReservationSpecification.capacityReservationTarget.capacityReservationResourceGroupArn");
  const delivered = targeted !== undefined && targeted !== "" && index.sourcesOf(lt, "capacityReservationSpecification").every((d) => d.type !== CAPACITY_RESERVATION);
  if ((groupName === undefined || groupName === "") && delivered) {
    const only = asString(at(lt.props, "capacityReservationSpecification.capacityReservationPreference")) === "capacity-reservations-only";
    return only ? [] : [{ reason: "the template targets a reservation without capacity-reservations-only, so a launch it cannot hold runs on on-demand capacity elsewhere", fix: "set capacityReservationSpecification.capacityReservationPreference to capacity-reservations-only" }];
  }
  if (groupName === undefined || groupName === "") {
    return [{ reason: "the template names no placement group and no capacity block, so its nodes can land anywhere in the AZ's fabric", fix: "set placement.groupName to the scalable unit's cluster placement group (or use a capacity block)" }];
  }
  const groups = index.sourcesOf(lt, "placement").filter((d) => d.type === PLACEMENT_GROUP);
  const named = typeof groupName === "string" ? index.ofType(PLACEMENT_GROUP).filter((g) => asString(g.props.name) === groupName) : [];
  const group = groups[0] ?? named[0];
  if (!group) return [{ reason: `placement group ${String(groupName)} is not created by this plan`, fix: "create the scalable unit's cluster placement group in the plan and refer to it" }];
  if (asString(group.props.strategy) !== "cluster") {
    return [{ reason: `placement group ${group.name} has strategy ${String(group.props.strategy)}, not cluster`, fix: "use a cluster placement group per scalable unit" }];
  }
  const reservations = index.sourcesOf(lt, "capacityReservationSpecification").filter((d) => d.type === CAPACITY_RESERVATION);
  return reservations
    .filter((cr) => asRecord(cr.props) && (cr.props.placementGroupArn === undefined || cr.props.placementGroupArn === ""))
    .map((cr) => ({ reason: `capacity reservation ${cr.name} is not made in the placement group`, fix: "create the reservation with placementGroupArn of the unit's placement group" }));
}

export function gpuTemplateProblems(lt: PlanResource, index: PlanIndex): Problem[] {
  const { users, instanceType } = usersOf(lt, index);
  if (!instanceType) return [];
  const facts = efaFactsOf(instanceType);
  if (!facts) {
    return looksAccelerated(instanceType)
      ? [{ reason: `${instanceType} is not in the catalog, so its EFA cards are unknown`, fix: "add the type to core/catalog/instances.ts with its network cards and EFA interfaces" }]
      : [];
  }
  if (facts.gpus === 0 && facts.efaInterfaces === 0) return [];
  const problems: Problem[] = [];
  if (facts.networkCards === null) {
    problems.push({ reason: `${instanceType}'s network card layout is not confirmed, so its EFA wiring cannot be proven`, fix: "confirm the card layout in the catalog before planning this type" });
  } else {
    problems.push(...wiringProblems(asArray(lt.props.networkInterfaces) as NetworkInterface[], facts.networkCards, facts.efaInterfaces, instanceType));
  }
  const { zones, unknown } = zonesOf(lt, users, index);
  if (zones.size > 1) problems.push({ reason: `its nodes span availability zones ${[...zones].sort().join(", ")}; EFA stays inside one`, fix: "give the template's node group subnets of one AZ" });
  else if (zones.size === 0) problems.push({ reason: unknown ? "its availability zone is not known at plan time" : "no availability zone can be found for its nodes (no subnet, placement zone or reservation of the plan)", fix: "launch it through a node group whose subnets are in one AZ of the plan" });
  problems.push(...placementProblems(lt, users, index));
  return problems;
}

export const gpuEfaWiring: StackValidationPolicy = {
  name: "gpu-efa-wiring",
  description: "Every GPU launch template wires all the EFA interfaces its type has, runs in one AZ, and lands in its unit's cluster placement group, capacity block or delivered reservation.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Build the template's networkInterfaces from the catalog (card 0: ENA primary + efa-only; every other card: efa-only), use subnets of one AZ, and set placement.groupName to the unit's cluster placement group (or the capacity block's reservation).",
  configSchema: exemptionsOnlySchema,
  validateStack: (args, reportViolation) => {
    const { exemptions } = configOf<{ exemptions: Exemption[] }>(args, exemptionsOnlySchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    const templates = index.ofType(LAUNCH_TEMPLATE);
    if (templates.length === 0) args.notApplicable("the plan has no launch template");
    for (const lt of templates) {
      for (const p of gpuTemplateProblems(lt, index)) reportUnlessExempt(reportViolation, exemptions, lt, p, true);
    }
  },
};
