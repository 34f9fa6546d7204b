import { PolicyPack } from "@pulumi/policy";
import { EU_RESIDENCY_PACK } from "./pack";

// `pulumi preview --policy-pack policies/eu-residency`: serves the pack to the engine (this starts a gRPC server).
new PolicyPack(EU_RESIDENCY_PACK.name, { policies: EU_RESIDENCY_PACK.policies, enforcementLevel: EU_RESIDENCY_PACK.enforcementLevel, description: EU_RESIDENCY_PACK.description });
