import { PolicyPack } from "@pulumi/policy";
import { TENANT_ISOLATION_PACK } from "./pack";

// `pulumi preview --policy-pack policies/tenant-isolation`: serves the pack to the engine (this starts a gRPC server).
new PolicyPack(TENANT_ISOLATION_PACK.name, { policies: TENANT_ISOLATION_PACK.policies, enforcementLevel: TENANT_ISOLATION_PACK.enforcementLevel, description: TENANT_ISOLATION_PACK.description });
