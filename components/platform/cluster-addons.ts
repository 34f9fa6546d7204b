import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { certManagerValues, efaDevicePluginValues, fsxCsiDriverValues, gpuOperatorValues, kueueValues } from "../../core/render/kubernetes/addon-values";
import { CERT_MANAGER_CHART, chartReference, EFA_DEVICE_PLUGIN_CHART, FSX_CSI_DRIVER_CHART, GPU_OPERATOR_CHART, installedCharts, JOBSET_CHART, KUEUE_CHART, type AddonPools } from "../../core/catalog/charts";
import type { ControllerSizing } from "../../core/blueprint/controller-sizing";
import { jobsetValues } from "../../core/render/kubernetes/training-operators";
import { resourcesOf } from "../../core/render/kubernetes/addon-values";

export interface ClusterAddonsArgs {
  pools: AddonPools;
  /** The registry every chart and image comes from (the factory's ECR, or an on-premises registry). */
  registry: pulumi.Input<string>;
  /** cert-manager, for a chart that needs it (Slurm's operator). */
  certManager?: boolean;
  /** The factory's region, where it has a Lustre file system to offer through the FSx CSI driver. */
  lustreRegion?: string;
  /** The controllers' requests and limits, sized for the factory (controller-sizing.ts). */
  controllers: ControllerSizing;
  /** The release of each chart the cluster's Kubernetes minor selects (the blueprint's charts); the pins of charts.ts otherwise. */
  chartVersions?: Readonly<Record<string, string>>;
}

/**
 * The add-ons the factory's scheduling needs, as Helm releases pinned to one chart version each (charts.ts),
 * installed from the factory's registry with typed values (addon-values.ts). In-cluster only: it takes the
 * Kubernetes provider from its options and nothing of AWS.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  readonly releases: Record<string, k8s.helm.v3.Release> = {};
  readonly kueue: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gigafactory:kubernetes:ClusterAddons", name, {}, opts);
    const registry = pulumi.output(args.registry);
    const values: Record<string, (r: string) => object> = {
      [GPU_OPERATOR_CHART.chart]: (r) => gpuOperatorValues(r, args.pools, { operator: args.controllers.gpuOperator, nfdMaster: args.controllers.nfdMaster }),
      [EFA_DEVICE_PLUGIN_CHART.chart]: (r) => efaDevicePluginValues(r, args.pools),
      [KUEUE_CHART.chart]: (r) => kueueValues(r, args.controllers.kueue),
      [JOBSET_CHART.chart]: (r) => jobsetValues(r, resourcesOf(args.controllers.jobset)),
      [CERT_MANAGER_CHART.chart]: (r) => certManagerValues(r, args.controllers.certManager),
      [FSX_CSI_DRIVER_CHART.chart]: (r) => fsxCsiDriverValues(r, args.lustreRegion ?? ""),
    };
    for (const chart of installedCharts(args.pools, { certManager: args.certManager, lustre: args.lustreRegion !== undefined })) {
      this.releases[chart.chart] = new k8s.helm.v3.Release(
        `${name}-${chart.chart}`,
        {
          name: chart.release,
          chart: registry.apply((r) => chartReference(r, chart)),
          version: args.chartVersions?.[chart.chart] ?? chart.version,
          namespace: chart.namespace,
          createNamespace: chart.namespace !== "kube-system",
          values: registry.apply((r) => values[chart.chart](r)),
          // Releases kept for rollback; the GPU operator waits for its operands on every GPU node, so a large
          // factory gets half an hour [U: project choice].
          maxHistory: 10,
          timeout: 1800,
        },
        { parent: this },
      );
    }
    this.kueue = this.releases[KUEUE_CHART.chart];
    this.registerOutputs({});
  }
}
