import { describe, expect, it } from "vitest";
import { maxDbdMessages, renderSlurmdbdExtraConf, slurmctldResources, slurmdbdResources, SLURMDBD_PURGE } from "../../../../core/render/slurm/control-plane";
import { maxJobCount } from "../../../../core/render/slurm/slurm-conf";
import { buildBlueprint } from "../../../../core/blueprint";
import { LABEL_POOL, SYSTEM_POOL, SYSTEM_TAINT } from "../../../../core/blueprint/labels";
import { resourceFlavors } from "../../../../core/render/kubernetes/kueue-objects";
import { renderSlurmConf } from "../../../../core/render/slurm";
import { expandHostlist } from "../../../../core/lib/hostlist";
import { SLINKY_CHARTS, SLINKY_IMAGES, slinkyMirrorCopies } from "../../../../core/catalog/slinky-charts";
import { slinkyControllerConf, slinkyHostlist, slinkyNodeConf, slinkyPartitions } from "../../../../core/render/slurm/slinky-conf";
import { slinkyOperatorValues } from "../../../../core/render/slurm/slinky-operator-values";
import { slinkyValues, type SlinkyOptions } from "../../../../core/render/slurm/slinky-values";
import { helmVersionProblem } from "../../../../policies/guardrails/helm-versions";
import { stackBlueprint } from "../../../fixtures/slurm/stacks";
import { asBoolean, at } from "../../../../policies/lib/values";
import { DEFAULT_CHART_IMAGE_VALUES } from "../../../../policies/eu-residency/chart-images";
import { imageRefOf, imagesInValues, registryProblem } from "../../../../policies/eu-residency/images";
import { factorySpec, pool } from "../../../fixtures/blueprint/spec";
import { TEXTFILE_DIR } from "../../../../core/render/health/agent-paths";
import { ACCEPTANCE_METRICS_DIR } from "../../../../core/render/kubernetes/acceptance-metrics-dir";

// The Slinky charts' values from a blueprint: Slurm's daemons on the system pool, a NodeSet per GPU pool on the
// nodes Kueue schedules, every image from the factory's registry, the factory's slurm.conf settings carried over.

const REGISTRY = "123456789012.dkr.ecr.eu-north-1.amazonaws.com";
const spec = factorySpec({
  pools: {
    train: pool({ instanceType: "p5en.48xlarge", nodes: 96 }),
    infer: pool({ instanceType: "p5.48xlarge", nodes: 8, availabilityZone: "eu-north-1b" }),
    idle: pool({ instanceType: "p5.48xlarge", nodes: 0 }),
  },
});
const { blueprint } = buildBlueprint(spec);
const OPTIONS: SlinkyOptions = {
  registry: REGISTRY,
  secrets: { slurmKey: { name: "auth", key: "slurm.key" }, jwtKey: { name: "auth", key: "jwt.key" }, databasePassword: { name: "db", key: "password" } },
  storage: { host: "db.example.internal", port: 3306, database: "slurm_acct_db", username: "slurm" },
  nodePriorityClassName: "slurm-nodes",
  slurmdImage: { repository: `${REGISTRY}/gigafactory/slurmd`, tag: `recipe-0123456789abcdef0123@sha256:${"c".repeat(64)}` },
};
const values = slinkyValues(blueprint, OPTIONS);
const operator = slinkyOperatorValues(REGISTRY);
const poolOf = (name: string) => blueprint.pools.find((p) => p.name === name)!;
const inRegistry = (ref: string | undefined) => registryProblem(ref ?? "", "eu-north-1", { allowedRegions: ["eu-north-1"], allowedRegistries: [], sameRegion: true }, "image");

describe("the Slinky charts", () => {
  it("are pinned to one exact version each, the same release of SlinkyProject/slurm-operator", () => {
    expect(SLINKY_CHARTS.map((c) => c.chart)).toEqual(["slurm-operator-crds", "slurm-operator", "slurm"]);
    for (const c of SLINKY_CHARTS) expect(helmVersionProblem({ chart: c.chart, version: c.version }), c.chart).toBeUndefined();
    expect(new Set(SLINKY_CHARTS.map((c) => c.version)).size).toBe(1);
  });

  it("copy every chart and every ghcr.io image into the factory's registry once per version", () => {
    const copies = slinkyMirrorCopies();
    expect(copies.filter((c) => c.kind === "chart").map((c) => c.repository)).toEqual(SLINKY_CHARTS.map((c) => `charts/${c.chart}`));
    const images = copies.filter((c) => c.kind === "image");
    expect(images).toHaveLength(Object.keys(SLINKY_IMAGES).length);
    for (const i of images) {
      expect(i.source.startsWith("ghcr.io/slinkyproject/")).toBe(true);
      expect(i.repository).toBe(`ghcr/${i.source.slice("ghcr.io/".length, i.source.lastIndexOf(":"))}`);
    }
  });

  for (const [chart, v] of [["slurm", values], ["slurm-operator", operator]] as const) {
    it(`${chart}: every image setting the residency pack knows, and every image the values name, is in the factory's registry`, () => {
      const table = DEFAULT_CHART_IMAGE_VALUES[chart];
      expect(table.length).toBeGreaterThan(0);
      for (const e of table) {
        if (e.enabledBy && !(asBoolean(at(v, e.enabledBy)) ?? e.enabledByDefault ?? true)) continue;
        expect(inRegistry(imageRefOf(at(v, e.path))), `${chart} ${e.path}`).toBeUndefined();
      }
      const named = imagesInValues(v);
      expect(named.length).toBeGreaterThan(0);
      for (const i of named) expect(inRegistry(i.ref), `${chart} ${i.path}`).toBeUndefined();
    });
  }
});

describe("Slurm's daemons", () => {
  it("run on the system pool: controller, accounting, REST API, login, and the operator with its webhook", () => {
    const system = { [LABEL_POOL]: SYSTEM_POOL };
    const tolerated = [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect }];
    for (const podSpec of [values.controller.podSpec, values.accounting.podSpec, values.restapi.podSpec, values.loginsets.login.podSpec, operator.operator, operator.webhook]) {
      expect(podSpec.nodeSelector).toEqual(system);
      // The system pool's taint and no other: no GPU node takes them.
      expect(podSpec.tolerations).toEqual(tolerated);
    }
    expect(operator.certManager.enabled).toBe(true);
    expect(operator.crds.enabled).toBe(false);
  });

  it("authenticate with the factory's keys and reach the accounting database with its password, none drawn by the chart", () => {
    expect(values.slurmKey).toEqual({ create: false, secretRef: OPTIONS.secrets.slurmKey });
    expect(values.jwtKey).toEqual({ create: false, secretRef: OPTIONS.secrets.jwtKey });
    expect(values.accounting.enabled).toBe(true);
    expect(values.accounting.storageConfig).toEqual({ ...OPTIONS.storage, passwordKeyRef: OPTIONS.secrets.databasePassword });
    expect(JSON.stringify(values)).not.toMatch(/password"\s*:\s*"/i);
  });

  it("keep the controller's state on a volume and its login behind an internal load balancer", () => {
    expect(values.controller.persistence.enabled).toBe(true);
    expect(values.loginsets.login.service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
    expect(values.loginsets.login.replicas).toBeGreaterThanOrEqual(2);
  });

  it("give the login pods the file system at /fsx through the claim they are handed, and nothing without one", () => {
    const login = slinkyValues(blueprint, { ...OPTIONS, loginLustreClaim: "lustre" }).loginsets.login;
    expect(login.podSpec.volumes).toContainEqual({ name: "lustre", persistentVolumeClaim: { claimName: "lustre" } });
    expect(login.login.volumeMounts).toContainEqual({ name: "lustre", mountPath: "/fsx" });
    // The identity sidecar makes the users' homes there.
    expect(login.podSpec.initContainers![0].volumeMounts).toContainEqual({ name: "lustre", mountPath: "/fsx" });
    const without = values.loginsets.login;
    expect(without.podSpec.volumes!.map((v) => v.name)).not.toContain("lustre");
    expect(without.login.volumeMounts.map((m) => m.name)).not.toContain("lustre");
    expect(without.podSpec.initContainers![0].volumeMounts.map((m) => m.mountPath)).not.toContain("/fsx");
  });
});

describe("a NodeSet per GPU pool", () => {
  it("has one NodeSet for each pool with nodes, as many slurmd pods as the pool has nodes", () => {
    expect(Object.keys(values.nodesets).sort()).toEqual(["infer", "train"]);
    expect(values.nodesets.train.replicas).toBe(poolOf("train").nodes);
    expect(values.nodesets.infer.replicas).toBe(poolOf("infer").nodes);
  });

  it("lands on the nodes of Kueue's flavor for the pool: the same node label, the same tolerated taint", () => {
    const flavors = resourceFlavors(blueprint).filter((f) => values.nodesets[f.metadata.name] !== undefined);
    expect(flavors).toHaveLength(2);
    for (const flavor of flavors) {
      const nodeset = values.nodesets[flavor.metadata.name];
      const fs = flavor.spec as { nodeLabels: Record<string, string>; tolerations: object[] };
      expect(nodeset.podSpec.nodeSelector).toEqual(fs.nodeLabels);
      expect(nodeset.podSpec.tolerations).toEqual(fs.tolerations);
      expect(nodeset.podSpec.priorityClassName).toBe("slurm-nodes");
    }
  });

  it("gives slurmd and its jobs the node's Lustre mount at /fsx, where checkpoints are written", () => {
    for (const nodeset of Object.values(values.nodesets)) {
      expect(nodeset.podSpec.volumes).toContainEqual({ name: "lustre", hostPath: { path: "/fsx", type: "Directory" } });
      expect(nodeset.slurmd.volumeMounts).toContainEqual({ name: "lustre", mountPath: "/fsx", mountPropagation: "HostToContainer" });
    }
  });

  it("reads the node-health agent's report from the host and may not write it; writes only the acceptance metrics folder", () => {
    for (const nodeset of Object.values(values.nodesets)) {
      const hostPathOf = (name: string) => (nodeset.podSpec.volumes!.find((v) => v.name === name) as { hostPath?: { path: string; type: string } }).hostPath;
      const writable = nodeset.slurmd.volumeMounts.filter((m) => !m.readOnly && hostPathOf(m.name) !== undefined).map((m) => [m.mountPath, hostPathOf(m.name)!.path]);
      // The Lustre mount (the jobs' data) and the acceptance metrics folder, kubelet-made and root's (0755): nothing else of the host.
      expect(writable).toEqual(expect.arrayContaining([["/fsx", "/fsx"], [ACCEPTANCE_METRICS_DIR, ACCEPTANCE_METRICS_DIR]]));
      expect(writable).toHaveLength(2);
      expect(hostPathOf(nodeset.slurmd.volumeMounts.find((m) => m.mountPath === ACCEPTANCE_METRICS_DIR)!.name)!.type).toBe("DirectoryOrCreate");
      expect(nodeset.slurmd.volumeMounts.find((m) => m.mountPath === TEXTFILE_DIR)).toMatchObject({ readOnly: true });
    }
  });

  it("holds every GPU and EFA interface of its node while a slurmd runs there", () => {
    const train = poolOf("train");
    expect(values.nodesets.train.slurmd.resources.limits).toEqual({ "nvidia.com/gpu": String(train.gpusPerNode), "vpc.amazonaws.com/efa": String(train.efaInterfacesPerNode) });
    expect(values.nodesets.train.slurmd.resources.requests).toEqual(values.nodesets.train.slurmd.resources.limits);
  });

  it("registers its nodes with the pool's GPUs and memory as slurm.conf promises them", () => {
    const conf = renderSlurmConf(blueprint);
    const train = poolOf("train");
    const defaults = conf.split("\n").find((l) => l.startsWith("NodeName=DEFAULT") && l.includes(`Gres=gpu:${train.gpuModel}:`))!;
    const realMemory = /RealMemory=(\d+)/.exec(defaults)![1];
    expect(slinkyNodeConf(train)).toBe(`Features=${train.instanceType} Gres=gpu:${train.gpuModel}:${train.gpusPerNode} RealMemory=${realMemory}`);
    expect(values.nodesets.train.extraConf).toBe(slinkyNodeConf(train));
  });

  it("names its Slurm nodes as the operator does, and gres.conf names exactly those", () => {
    const train = poolOf("train");
    expect(values.nodesets.train.ordinalPadding).toBe(train.hostnameDigits);
    const hosts = expandHostlist(slinkyHostlist(train));
    expect(hosts).toHaveLength(train.nodes);
    expect(hosts[0]).toBe(`train-${"0".repeat(train.hostnameDigits)}`);
    expect(hosts[hosts.length - 1]).toBe(`train-${String(train.nodes - 1).padStart(train.hostnameDigits, "0")}`);
    const gres = values.configFiles["gres.conf"].split("\n").find((l) => l.includes("Type=h200"))!;
    expect(gres).toContain(`NodeName=${slinkyHostlist(train)} `);
  });
});

describe("Slurm's configuration on Kubernetes", () => {
  const conf = renderSlurmConf(blueprint).split("\n");
  const extra = slinkyControllerConf(blueprint).split("\n");

  it("carries slurm.conf's scheduling, fair share and limits unchanged", () => {
    for (const key of ["SelectType", "GresTypes", "PriorityType", "PriorityWeightFairshare", "AccountingStorageEnforce", "TreeWidth"]) {
      const line = conf.find((l) => l.startsWith(`${key}=`));
      expect(line, key).toBeDefined();
      expect(extra).toContain(line);
    }
  });

  it("leaves hosts, ports, authentication, power saving and node lines to the operator", () => {
    for (const key of ["SlurmctldHost", "AuthType", "ResumeProgram", "SuspendProgram", "TopologyPlugin", "NodeName", "PartitionName", "AccountingStorageHost"]) {
      expect(extra.some((l) => l.startsWith(`${key}=`)), key).toBe(false);
    }
  });

  it("makes room for every GPU node of the factory beyond the operator's 1,024", () => {
    const big = buildBlueprint(factorySpec({ pools: { train: pool({ nodes: 3200 }) } })).blueprint;
    expect(slinkyControllerConf(big).split("\n")).toContain("MaxNodeCount=3200");
    expect(extra).toContain(`MaxNodeCount=${blueprint.nodes}`);
  });

  it("has slurm.conf's partitions, a pool's over its NodeSet and the default over all", () => {
    const partitions = slinkyPartitions(blueprint);
    expect(Object.keys(partitions).sort()).toEqual(["all", "infer", "train"]);
    expect(partitions.train.nodesets).toEqual(["train"]);
    expect(partitions.all.nodesets).toEqual(["ALL"]);
    expect(partitions.all.config).toContain("Default=YES");
    const trainLine = conf.find((l) => l.startsWith("PartitionName=train "))!;
    expect(trainLine.endsWith(partitions.train.config)).toBe(true);
    expect(values.partitions).toEqual(partitions);
  });
});

describe("Slurm's control plane on Kubernetes", () => {
  it("asks the system nodes for more controller as the factory grows, with memory requested as it is limited", () => {
    const small = slurmctldResources(2);
    const giga = slurmctldResources(12_500);
    // 2 nodes: MaxJobCount 10,000, MaxDBDMsgs 20,008. 12,500 nodes: 125,000 jobs, 300,000 messages.
    expect(maxDbdMessages(12_500, maxJobCount(12_500))).toBe(300_000);
    expect(small).toEqual({ requests: { cpu: "3", memory: "7Gi" }, limits: { memory: "7Gi" } });
    expect(giga).toEqual({ requests: { cpu: "7", memory: "24Gi" }, limits: { memory: "24Gi" } });
    // More jobs held, more memory; the same jobs, the same whatever else changes.
    expect(Number(slurmctldResources(12_500, 500_000).requests.memory.slice(0, -2))).toBeGreaterThan(24);
    expect(slurmdbdResources(maxJobCount(12_500))).toEqual({ requests: { cpu: "1", memory: "5Gi" }, limits: { memory: "10Gi" } });
    const values = slinkyValues(stackBlueprint("gigafactory"), OPTIONS);
    expect(values.controller.slurmctld.resources).toEqual(slurmctldResources(stackBlueprint("gigafactory").nodes));
    expect(values.restapi.pdb).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.restapi.replicas).toBe(2);
  });

  it("gives slurmdbd the purge settings, each a Purge*After of slurmdbd.conf", () => {
    const conf = renderSlurmdbdExtraConf({ factory: "gf" });
    for (const [key, value] of Object.entries(SLURMDBD_PURGE)) expect(conf).toContain(`${key}=${value}`);
    expect(conf.split("\n").filter((l) => !l.startsWith("#")).every((l) => /^Purge[A-Za-z]+After=\d+month$/.test(l))).toBe(true);
  });
});

describe("the login pods' way in", () => {
  it("is an internal Network Load Balancer open to the VPC and the operators' networks only", () => {
    const bp = stackBlueprint("gigafactory");
    const login = slinkyValues(bp, { registry: "r.example", secrets: { slurmKey: { name: "a", key: "k" }, jwtKey: { name: "a", key: "j" }, databasePassword: { name: "d", key: "p" } }, storage: { host: "db", port: 3306, database: "slurm", username: "slurm" }, nodePriorityClassName: "p", slurmdImage: { repository: "r.example/gigafactory/slurmd", tag: "recipe-0" } }).loginsets.login;
    expect(login.service.spec.type).toBe("LoadBalancer");
    expect(login.service.metadata.annotations).toEqual({ "service.beta.kubernetes.io/aws-load-balancer-type": "nlb", "service.beta.kubernetes.io/aws-load-balancer-internal": "true" });
    expect(login.service.spec.loadBalancerSourceRanges).toEqual(expect.arrayContaining([...bp.network.vpcCidrs, "10.200.0.0/16"]));
    expect(login.service.spec.loadBalancerSourceRanges).not.toContain("0.0.0.0/0");
  });
});
