import { PolicyPack } from "@pulumi/policy";
import { GUARDRAILS_PACK } from "./pack";

// `pulumi preview --policy-pack policies/guardrails`: serves the pack to the engine (this starts a gRPC server).
new PolicyPack(GUARDRAILS_PACK.name, { policies: GUARDRAILS_PACK.policies, enforcementLevel: GUARDRAILS_PACK.enforcementLevel, description: GUARDRAILS_PACK.description });
