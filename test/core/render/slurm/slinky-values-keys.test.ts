import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SLINKY_VERSION } from "../../../../core/catalog/slinky-charts";
import { slinkyOperatorValues } from "../../../../core/render/slurm/slinky-operator-values";
import { slinkyValues, type SlinkyOptions } from "../../../../core/render/slurm/slinky-values";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";
import { SLINKY_OPTIONS } from "../../../fixtures/slurm/slinky-options";

// Every key the factory gives the Slinky charts is one the pinned chart reads. The charts' values.yaml keys are
// vendored (test/fixtures/slinky/*-values-keys.json, from SlinkyProject/slurm-operator v1.2.1): a key the chart
// does not have is silently ignored by Helm, so a misspelt or renamed value would deploy without its setting.

type Tree = null | unknown[] | { [key: string]: Tree };
const vendored = (chart: string): Tree => JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "fixtures", "slinky", `${chart}-${SLINKY_VERSION}-values-keys.json`), "utf8")).keys;

// Fields of the Kubernetes types the templates hand over whole (`toYaml` into the CR's ContainerWrapper,
// PodSpecWrapper and ServiceSpecWrapper, api/v1beta1/base_types.go), from k8s.io/api core/v1 types.go [P].
const CONTAINER = ["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty"];
const POD_SPEC = ["volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources"];
const SERVICE_SPEC = ["ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution"];

// Where the slurm chart's templates pass a Kubernetes type through (templates/*/…-cr.yaml: `slurm.format-container`
// omits only `image`; `slurm.format-podTemplate` and the service are `toYaml`).
const PASSTHROUGH: Record<string, readonly string[]> = {
  ...Object.fromEntries(
    ["controller.slurmctld", "controller.reconfigure", "controller.logfile", "restapi.slurmrestd", "accounting.slurmdbd", "loginsetDefaults.login", "loginsetDefaults.initconf", "nodesetDefaults.slurmd", "nodesetDefaults.logfile"].map((p) => [p, CONTAINER]),
  ),
  ...Object.fromEntries(["controller.podSpec", "restapi.podSpec", "accounting.podSpec", "loginsetDefaults.podSpec", "nodesetDefaults.podSpec"].map((p) => [p, POD_SPEC])),
  ...Object.fromEntries(["controller.service.spec", "restapi.service.spec", "accounting.service.spec", "loginsetDefaults.service.spec"].map((p) => [p, SERVICE_SPEC])),
};
// Maps whose entries the templates merge over a default entry (`mergeOverwrite … loginsetDefaults`, `nodesetDefaults`).
const ENTRIES_LIKE: Record<string, string> = { loginsets: "loginsetDefaults", nodesets: "nodesetDefaults", partitions: "partitions.all" };

// Maps of Kubernetes or Slurm whose defaults hold an entry, which yet take any key (`nodeSelector:
// kubernetes.io/os: linux`, a partition's `configMap: Default: "YES"`).
const FREE_MAPS = new Set(["nodeSelector", "configMap", "annotations", "labels"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const treeAt = (tree: Tree, path: string): Tree => path.split(".").reduce<Tree>((t, k) => (isObject(t) ? (t[k] as Tree) : null), tree);

/** Paths of `values` the chart has no key for. */
export function unknownKeys(values: unknown, root: Tree, passthrough = PASSTHROUGH, entriesLike = ENTRIES_LIKE): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, tree: Tree, shown: string, canonical: string) => {
    if (!isObject(value) || !isObject(tree)) return;
    // An empty map in values.yaml is free-form (configFiles, resources, secretRef, metadata, nodeSelector).
    if (Object.keys(tree).length === 0 || FREE_MAPS.has(canonical.split(".").pop()!)) return;
    for (const [key, v] of Object.entries(value)) {
      const at = canonical ? `${canonical}.${key}` : key;
      const path = shown ? `${shown}.${key}` : key;
      if (entriesLike[at] && isObject(v)) {
        for (const [entry, e] of Object.entries(v)) walk(e, treeAt(root, entriesLike[at]), `${path}.${entry}`, entriesLike[at]);
        continue;
      }
      if (key in tree) walk(v, tree[key], path, at);
      else if (!passthrough[canonical]?.includes(key)) problems.push(path);
    }
  };
  walk(values, root, "", "");
  return problems;
}

const OPTIONS: SlinkyOptions = { ...SLINKY_OPTIONS, stateStorageClassName: "slurm-state" };

describe(`the values the factory gives the Slinky ${SLINKY_VERSION} charts`, () => {
  const slurm = vendored("slurm");
  it.each(["dev", "gigafactory"])("the %s stack's slurm values use only keys the chart has", (stack) => {
    const values = slinkyValues(stackBlueprint(stack), OPTIONS);
    expect(unknownKeys(values, slurm)).toEqual([]);
    // What the factory relies on is among them.
    for (const path of ["accounting.extraConf", "accounting.storageConfig", "controller.extraConf", "controller.persistence", "controller.metrics", "restapi.pdb", "loginsetDefaults.extraSshdConfig", "nodesetDefaults.ordinalPadding"]) {
      expect(treeAt(slurm, path), path).not.toBeUndefined();
    }
  });

  it("the operator's values use only keys its chart has", () => {
    expect(unknownKeys(slinkyOperatorValues("registry.example"), vendored("slurm-operator"))).toEqual([]);
  });

  it("finds a key the chart does not have, at any depth, in an entry merged over defaults or in a Kubernetes type", () => {
    const wrong = {
      accounting: { extraConfig: "PurgeJobAfter=12month", slurmdbd: { resources: {}, volumeMount: [] } },
      controller: { slurmctld: { volumeMounts: [] }, podSpec: { priorityClass: "x" }, metrics: { serviceMonitor: { enable: true } } },
      loginsets: { login: { service: { spec: { loadBalancerSourceRange: [] }, metadata: { annotations: { a: "b" } } }, sssdConf: "x" } },
      nodesets: { a: { slurmd: { volumeMounts: [] }, replicas: 2, ordinalPading: 5 } },
      partitions: { a: { nodesets: ["a"], configMap: { MaxTime: "1" }, default: true } },
    };
    expect(unknownKeys(wrong, slurm).sort()).toEqual(
      [
        "accounting.extraConfig",
        "accounting.slurmdbd.volumeMount",
        "controller.podSpec.priorityClass",
        "controller.metrics.serviceMonitor.enable",
        "loginsets.login.service.spec.loadBalancerSourceRange",
        "loginsets.login.sssdConf",
        "nodesets.a.ordinalPading",
        "partitions.a.default",
      ].sort(),
    );
  });
});
