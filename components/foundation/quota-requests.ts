import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { QuotaNeed } from "../../core/blueprint/types";

// Service-quota increase requests for what the blueprint's quota table finds short, declared only where the
// factory's owner opts in (requests go to AWS support and may take days; a plan never files them unasked).

export interface QuotaRequest {
  key: string;
  serviceCode: string;
  quotaCode: string;
  value: number;
}

/** Adjustable quotas whose need passes AWS's default; hard limits cannot be requested (they are errors). */
export function quotaRequests(quotas: readonly QuotaNeed[]): QuotaRequest[] {
  return quotas.filter((q) => q.raise && q.adjustable).map((q) => ({ key: q.key, serviceCode: q.serviceCode, quotaCode: q.quotaCode, value: q.needed }));
}

/** One aws.servicequotas.ServiceQuota per request, named `${name}-quota-<key>`. */
export function declareQuotaRequests(name: string, quotas: readonly QuotaNeed[], opts: pulumi.CustomResourceOptions): aws.servicequotas.ServiceQuota[] {
  return quotaRequests(quotas).map(
    (r) =>
      new aws.servicequotas.ServiceQuota(
        `${name}-quota-${r.key.replace(/[^a-z0-9]+/gi, "-")}`,
        { serviceCode: r.serviceCode, quotaCode: r.quotaCode, value: r.value },
        // Lowering a granted quota is not possible: the engine keeps the request when the stack goes.
        { ...opts, retainOnDelete: true },
      ),
  );
}
