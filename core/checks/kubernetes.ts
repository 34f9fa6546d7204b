import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { FactorySpec, Finding } from "../spec/schema";
import { ADDON_VERSIONS, addonVersions } from "../render/kubernetes/eks-addons";
import { SERVICE_CIDR_CHOICES, serviceCidr } from "../blueprint/service-cidr";

// What the control plane needs of a spec, checked before anything is planned.

/** The Kubernetes version must be one the factory has pinned add-on versions for. */
export function validateKubernetesVersion(spec: FactorySpec): Finding[] {
  if (addonVersions(spec.kubernetes.version)) return [];
  const known = Object.keys(ADDON_VERSIONS).sort();
  return [
    error(
      specPath("kubernetes", "version"),
      `Kubernetes ${spec.kubernetes.version} has no pinned versions of the VPC CNI, CoreDNS, kube-proxy and Pod Identity add-ons`,
      `use ${known.join(" or ")}, or add the minor's data file to core/catalog/kubernetes (aws eks describe-addon-versions --kubernetes-version ${spec.kubernetes.version})`,
    ),
  ];
}

/** The cluster's Service CIDR must stay clear of the VPC's blocks. */
export function validateServiceCidr(spec: FactorySpec): Finding[] {
  if (serviceCidr(spec.network.vpcCidrs) !== undefined) return [];
  return [
    error(
      specPath("network", "vpcCidrs"),
      `the VPC's blocks overlap both ${SERVICE_CIDR_CHOICES.join(" and ")}, the ranges the cluster's Services can take`,
      "keep one of those ranges out of network.vpcCidrs",
    ),
  ];
}

export const KUBERNETES_VALIDATORS = [validateKubernetesVersion, validateServiceCidr] as const;
