import { slinkyGateConfigMap } from "../../core/render/health/slinky-gate";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Blueprint } from "../../core/blueprint/types";
import { chartReference, chartsAtVersions, type PinnedChart } from "../../core/catalog/charts";
import { chartVersions } from "../../core/blueprint/charts";
import { SLINKY_CRDS_CHART, SLINKY_OPERATOR_CHART, SLURM_CHART } from "../../core/catalog/slinky-charts";
import { slinkyOperatorValues } from "../../core/render/slurm/slinky-operator-values";
import { slinkyValues, type AccountingStorage, type SlinkySecretRefs } from "../../core/render/slurm/slinky-values";
import { declaredConfigMap, declaredObject } from "../kubernetes-object";
import { SLURM_AUTH_SECRET, slinkyEndpoints, slurmClientConfigMap, slurmQosCronJob } from "../../core/render/slurm/accounts-job";
import { SLURM_STATE_STORAGE_CLASS, slurmStateStorageClass } from "../../core/render/slurm/state-storage";
import { identityConfigMap } from "../../core/render/slurm/identity";
import { directoryObjects, nsswitchConfigMap } from "../../core/render/slurm/directory";
import { LUSTRE_CLAIM, slurmLoginLustreObjects, type LustreShareSource } from "../../core/render/kubernetes/tenants/lustre-share";

// Slurm in the cluster, on the Slinky charts: in-cluster only (DESIGN.md), it takes the blueprint, the registry,
// the credentials and the database's address, and the Kubernetes provider from its options, so the same component
// runs on a factory's own cluster with a database and secrets of its own.

/** Slurm's credentials as values (Pulumi secrets): the keys in base64, the database password as it is. */
export interface SlurmCredentials {
  slurmKey: pulumi.Input<string>;
  jwtKey: pulumi.Input<string>;
  databasePassword: pulumi.Input<string>;
}

export interface SlinkySlurmArgs {
  blueprint: Blueprint;
  /** The registry every chart and image comes from. */
  registry: pulumi.Input<string>;
  /** The image every NodeSet's slurmd runs: the factory's own, by tag and digest. */
  slurmdImage: pulumi.Input<{ repository: string; tag: string }>;
  /** The image the login pods run: the factory's own (Enroot and Pyxis), by tag and digest; Slinky's when absent. */
  loginImage?: pulumi.Input<{ repository: string; tag: string }>;
  credentials: SlurmCredentials;
  storage: Omit<AccountingStorage, "host"> & { host: pulumi.Input<string> };
  /** The key slurmctld's state volume is encrypted with (state-storage.ts); the EBS CSI driver among `requires`. */
  stateVolumeKeyArn: pulumi.Input<string>;
  /** The factory's Lustre file system: the login pods mount all of it at /fsx, as the GPU nodes do. */
  lustre?: pulumi.Input<LustreShareSource>;
  /**
   * What the charts need in the cluster first: cert-manager (the operator's webhook certificates) and the device
   * plugins (the GPUs and EFA interfaces slurmd requests), and nodes for the controllers to run on.
   */
  requires: pulumi.Resource[];
}

import { SLURM_KEY_FILE, JWT_KEY_FILE } from "../../core/catalog/slinky-charts";
export { SLURM_KEY_FILE, JWT_KEY_FILE };
export const AUTH_SECRET = SLURM_AUTH_SECRET;
export const DATABASE_SECRET = "slurm-accounting-db";
export const DATABASE_PASSWORD_KEY = "password";
export const SLURM_NODE_PRIORITY_CLASS = "slurm-nodes";
// The policy between the two schedulers on one node: a slurmd pod, once it holds its GPU node, is never preempted by
// a tenant's pod, so no Kubernetes pod ever kills a running multi-node Slurm job; and it never preempts anything to get
// a node (preemptionPolicy Never below), so it waits for a node Kubernetes' jobs have left. Tenants' pods run at the
// priority of no class (0) or of classes a tenant cannot create (PriorityClasses are cluster objects); user-defined
// classes go up to 1,000,000,000 and system-* above it (Kubernetes "Pod Priority and Preemption" [P]).
export const SLURM_NODE_PRIORITY = 1_000_000;

export const SLURM_SECRET_REFS: SlinkySecretRefs = {
  slurmKey: { name: AUTH_SECRET, key: SLURM_KEY_FILE },
  jwtKey: { name: AUTH_SECRET, key: JWT_KEY_FILE },
  databasePassword: { name: DATABASE_SECRET, key: DATABASE_PASSWORD_KEY },
};

export class SlinkySlurm extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly crds: k8s.helm.v3.Release;
  readonly operator: k8s.helm.v3.Release;
  readonly slurm: k8s.helm.v3.Release;
  /** sacctmgr's slurm.conf for the accounts Jobs: the tenants' Jobs wait for it and for the release. */
  clientConf!: k8s.core.v1.ConfigMap;
  /** The ConfigMap every tenant writes its Slurm users into. */
  readonly identity: k8s.core.v1.ConfigMap;

  constructor(name: string, args: SlinkySlurmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:slurm:Slinky", name, {}, opts);
    const registry = pulumi.output(args.registry);
    const namespace = SLURM_CHART.namespace;

    // slurmd runs privileged on the GPU nodes (Slinky's worker pods): the namespace says so to Pod Security.
    this.namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "privileged", "app.kubernetes.io/managed-by": "gigafactory" } } },
      { parent: this },
    );
    const inNamespace = { parent: this, dependsOn: [this.namespace] };
    const auth = new k8s.core.v1.Secret(
      `${name}-auth`,
      {
        metadata: { name: AUTH_SECRET, namespace },
        type: "Opaque",
        data: { [SLURM_KEY_FILE]: pulumi.secret(args.credentials.slurmKey), [JWT_KEY_FILE]: pulumi.secret(args.credentials.jwtKey) },
      },
      inNamespace,
    );
    const database = new k8s.core.v1.Secret(
      `${name}-accounting-db`,
      { metadata: { name: DATABASE_SECRET, namespace }, type: "Opaque", stringData: { [DATABASE_PASSWORD_KEY]: pulumi.secret(args.credentials.databasePassword) } },
      inNamespace,
    );
    // The health programs slurmd runs (health/slinky-gate.ts), mounted into every NodeSet's pods.
    const gates = new k8s.core.v1.ConfigMap(`${name}-health-gates`, slinkyGateConfigMap(namespace) as unknown as k8s.core.v1.ConfigMapArgs, inNamespace);
    // The tenants' users (identity.ts): each Tenant patches its own keys in; its content here never changes.
    this.identity = new k8s.core.v1.ConfigMap(`${name}-identity`, identityConfigMap(namespace) as unknown as k8s.core.v1.ConfigMapArgs, inNamespace);
    // How slurmd's pods resolve users (directory.ts), and the directory's copier when the factory names one.
    const nsswitch = new k8s.core.v1.ConfigMap(`${name}-nsswitch`, nsswitchConfigMap(namespace, args.blueprint.directory !== undefined) as unknown as k8s.core.v1.ConfigMapArgs, inNamespace);
    if (args.blueprint.directory) this.directory(name, args.blueprint.directory, registry, namespace, inNamespace);
    const nodePriority = new k8s.scheduling.v1.PriorityClass(
      `${name}-node-priority`,
      {
        metadata: { name: SLURM_NODE_PRIORITY_CLASS },
        value: SLURM_NODE_PRIORITY,
        globalDefault: false,
        preemptionPolicy: "Never",
        description: "gigafactory: Slurm's slurmd pods: never preempted by tenants' pods, never preempting them",
      },
      { parent: this },
    );

    const stateClass = new k8s.storage.v1.StorageClass(
      `${name}-state-class`,
      pulumi.output(args.stateVolumeKeyArn).apply((arn) => slurmStateStorageClass(arn)) as unknown as k8s.storage.v1.StorageClassArgs,
      { parent: this },
    );
    const loginClaim = args.lustre ? this.loginLustre(name, args.lustre, namespace, inNamespace) : undefined;

    // The releases the cluster's Kubernetes minor selects (the blueprint's charts).
    const [crdsChart, operatorChart, slurmChart] = chartsAtVersions([SLINKY_CRDS_CHART, SLINKY_OPERATOR_CHART, SLURM_CHART], chartVersions(args.blueprint.charts));
    this.crds = this.release(name, crdsChart, registry, registry.apply(() => ({})), args.requires);
    this.operator = this.release(name, operatorChart, registry, registry.apply((r) => slinkyOperatorValues(r)), [this.crds, ...args.requires]);
    const values = pulumi.all([registry, args.storage.host, args.slurmdImage, args.loginImage]).apply(([r, host, slurmdImage, loginImage]) =>
      slinkyValues(args.blueprint, {
        registry: r,
        slurmdImage,
        ...(loginImage ? { loginImage } : {}),
        secrets: SLURM_SECRET_REFS,
        storage: { ...args.storage, host },
        nodePriorityClassName: SLURM_NODE_PRIORITY_CLASS,
        stateStorageClassName: SLURM_STATE_STORAGE_CLASS,
        ...(loginClaim ? { loginLustreClaim: LUSTRE_CLAIM } : {}),
      }),
    );
    this.slurm = this.release(name, slurmChart, registry, values, [this.operator, auth, database, nodePriority, gates, nsswitch, stateClass, ...(loginClaim ? [loginClaim] : [])]);
    this.accountsBase(name, args.blueprint, registry, { parent: this, dependsOn: [this.slurm] });
    this.registerOutputs({});
  }

  /** What every tenant's account CronJob needs: sacctmgr's slurm.conf, and the cluster and QOS, made by a CronJob (accounts-job.ts). */
  private accountsBase(name: string, blueprint: Blueprint, registry: pulumi.Output<string>, opts: pulumi.CustomResourceOptions): void {
    const endpoints = registry.apply((r) => slinkyEndpoints(r));
    this.clientConf = new k8s.core.v1.ConfigMap(`${name}-client-conf`, declaredConfigMap(endpoints.apply((e) => slurmClientConfigMap(blueprint, e))), opts);
    const qos = endpoints.apply((e) => slurmQosCronJob(blueprint, e));
    new k8s.batch.v1.CronJob(`${name}-qos`, declaredObject(qos), { ...opts, dependsOn: [this.slurm, this.clientConf] });
  }

  /** The copier of the directory's sssd.conf: its service account, its right to the one Secret, its CronJob. */
  private directory(name: string, plan: NonNullable<Blueprint["directory"]>, registry: pulumi.Output<string>, namespace: string, opts: pulumi.CustomResourceOptions): void {
    const objects = registry.apply((r) => directoryObjects(plan, namespace, r));
    const at = (kind: string) => objects.apply((list) => list.find((o) => o.kind === kind)!);
    const account = new k8s.core.v1.ServiceAccount(`${name}-directory-account`, { metadata: at("ServiceAccount").apply((o) => o.metadata) }, opts);
    const role = new k8s.rbac.v1.Role(`${name}-directory-role`, { metadata: at("Role").apply((o) => o.metadata), rules: at("Role").apply((o) => o.rules as any) }, opts);
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-directory-binding`,
      { metadata: at("RoleBinding").apply((o) => o.metadata), roleRef: at("RoleBinding").apply((o) => o.roleRef as any), subjects: at("RoleBinding").apply((o) => o.subjects as any) },
      opts,
    );
    new k8s.batch.v1.CronJob(`${name}-directory-copy`, declaredObject(at("CronJob")), { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Resource[]) ?? []), account, role, binding] });
  }

  /** The volume and claim of the whole file system in Slurm's namespace: state-bearing, so protected and retained. */
  private loginLustre(name: string, source: pulumi.Input<LustreShareSource>, namespace: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.PersistentVolumeClaim {
    const objects = pulumi.output(source).apply((fs) => slurmLoginLustreObjects(fs, namespace));
    const volume = new k8s.core.v1.PersistentVolume(`${name}-login-lustre-volume`, declaredObject(objects.apply((o) => o.persistentVolume)), {
      parent: this,
      protect: true,
      retainOnDelete: true,
    });
    return new k8s.core.v1.PersistentVolumeClaim(`${name}-login-lustre-claim`, declaredObject(objects.apply((o) => o.persistentVolumeClaim)), {
      ...opts,
      dependsOn: [...((opts.dependsOn as pulumi.Resource[]) ?? []), volume],
      protect: true,
      retainOnDelete: true,
    });
  }

  private release(name: string, chart: PinnedChart, registry: pulumi.Output<string>, values: pulumi.Output<object>, dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
      `${name}-${chart.chart}`,
      {
        name: chart.release,
        chart: registry.apply((r) => chartReference(r, chart)),
        version: chart.version,
        namespace: chart.namespace,
        // The slurm namespace is declared above, with its Pod Security label.
        createNamespace: chart.namespace !== SLURM_CHART.namespace,
        values,
        maxHistory: 10,
        timeout: 900,
      },
      { parent: this, dependsOn: chart.namespace === SLURM_CHART.namespace ? [this.namespace, ...dependsOn] : dependsOn },
    );
  }
}
