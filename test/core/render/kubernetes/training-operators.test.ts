import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { renderAcceptance } from "../../../../core/render/acceptance";
import { renderKubernetes } from "../../../../core/render/kubernetes/objects";
import { kueueConfiguration } from "../../../../core/render/kubernetes/kueue-config";
import { submitterRules } from "../../../../core/render/kubernetes/tenants/rbac";
import { JOBSET_API, MPIJOB_API, TRAINING_OPERATOR_APIS } from "../../../../core/catalog/training-operators";
import { IMAGES } from "../../../../core/catalog/images";
import { JOBSET_CHART } from "../../../../core/catalog/charts";
import { MPIJOB_CRD_APPLIED_FILE, MPIJOB_CRD_FILE, mpiJobCrd } from "../../../../components/platform/training-operators";
import { withoutDescriptions } from "../../../../core/render/kubernetes/training-operators";
import { knownCrds, schemaProblems } from "../../../fixtures/kubernetes/schemas";
import { designedStack } from "../../../fixtures/kubernetes/stacks";

// The training operators the factory installs (JobSet's chart, the MPI operator's objects and CRD) are wired into
// Kueue and the tenants' RBAC, and every object the factory renders for them, the NCCL acceptance MPIJobs and the
// tenants' example JobSets included, is what their published CRDs accept with unknown fields rejected.

const docs = (content: string) => parseAllDocuments(content).map((d) => d.toJS() as Record<string, unknown>);

describe("the training operators", () => {
  it("are the pinned releases whose CRDs the tests hold, served at the versions the factory writes", () => {
    for (const api of TRAINING_OPERATOR_APIS) {
      const crd = knownCrds().find((c) => c.group === api.group && c.kind === api.kind && c.version === api.version);
      expect(crd, `${api.group}/${api.version} ${api.kind}`).toMatchObject({ served: true, storage: true, scope: "Namespaced" });
    }
    expect(IMAGES.jobset.tag).toBe(`v${JOBSET_CHART.version}`);
    expect(readFileSync(MPIJOB_CRD_FILE, "utf8")).toContain(`name: ${MPIJOB_API.resource}.${MPIJOB_API.group}`);
  });

  it("deploy the MPIJob CRD as released, less its descriptions", () => {
    const released = parse(readFileSync(MPIJOB_CRD_FILE, "utf8"));
    const applied = `${JSON.stringify(withoutDescriptions(released), null, 1)}\n`;
    // After refreshing the release's file: GIGAFACTORY_CRDS=write npx vitest run test/core/render/kubernetes/training-operators.test.ts
    if (process.env.GIGAFACTORY_CRDS === "write") writeFileSync(MPIJOB_CRD_APPLIED_FILE, applied);
    expect(readFileSync(MPIJOB_CRD_APPLIED_FILE, "utf8"), "the applied CRD is the release's, less descriptions; rewrite it (crds/SOURCE.md)").toBe(applied);
    const crd = mpiJobCrd();
    expect(JSON.stringify(crd)).not.toMatch(/"description":"/);
    expect((crd.spec as any).versions.map((v: any) => v.name)).toEqual(released.spec.versions.map((v: any) => v.name));
    expect(Object.keys((crd.spec as any).versions[0].schema.openAPIV3Schema.properties.spec.properties)).toEqual(
      Object.keys(released.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties),
    );
  });

  it("are Kueue integrations, and the tenants' people may submit their jobs", () => {
    const frameworks = kueueConfiguration().integrations.frameworks;
    for (const api of TRAINING_OPERATOR_APIS) {
      expect(frameworks).toContain(api.kueueFramework);
      expect(submitterRules()).toContainEqual({ apiGroups: [api.group], resources: [api.resource], verbs: expect.arrayContaining(["create", "get", "list", "delete"]) });
    }
    // Nothing Kueue would wait for: every framework but the built-in ones is installed.
    expect(frameworks.filter((f) => f.includes("/") && f !== "batch/job").sort()).toEqual(TRAINING_OPERATOR_APIS.map((a) => a.kueueFramework).sort());
  });
});

describe("what the factory renders for them", () => {
  for (const stack of ["dev", "gigafactory"]) {
    const { blueprint, input } = designedStack(stack);
    const rendered = renderKubernetes(input);

    it(`${stack}: the MPI operator's objects are valid Kubernetes objects, its controller on the system pool from the registry`, () => {
      const objects = docs(rendered.find((f) => f.path === "kubernetes/mpi-operator.yaml")!.content);
      expect(objects.map((o) => o.kind)).toEqual(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment"]);
      expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
      const pod = (objects[4] as any).spec.template.spec;
      expect(pod.containers[0].image).toBe("${REGISTRY}/docker-hub/mpioperator/mpi-operator:0.8.0");
      expect(pod.nodeSelector).toEqual({ "gigafactory.io/pool": "system" });
    });

    it(`${stack}: every acceptance MPIJob and every tenant's example JobSet is valid against its CRD`, () => {
      const jobs = renderAcceptance(blueprint).filter((f) => f.path.endsWith(".yaml")).flatMap((f) => docs(f.content));
      const examples = rendered.filter((f) => f.path.startsWith("kubernetes/examples/")).flatMap((f) => docs(f.content));
      expect(jobs.length).toBeGreaterThan(0);
      expect(examples.map((o) => o.kind)).toEqual(blueprint.tenants.filter((t) => t.pools.length > 0).map(() => JOBSET_API.kind));
      expect([...jobs, ...examples].flatMap((o) => schemaProblems(o))).toEqual([]);
    });
  }

  it("refuses a field the MPIJob and JobSet CRDs do not define", () => {
    const { blueprint, input } = designedStack("dev");
    const [job] = renderAcceptance(blueprint).filter((f) => f.path.endsWith(".yaml")).flatMap((f) => docs(f.content));
    expect(schemaProblems({ ...job, spec: { ...(job.spec as object), slotsPerNode: 8 } }).join("\n")).toMatch(/additional properties \(slotsPerNode\)/);
    const [example] = renderKubernetes(input).filter((f) => f.path.startsWith("kubernetes/examples/")).flatMap((f) => docs(f.content));
    expect(schemaProblems({ ...example, spec: { ...(example.spec as object), replicas: 2 } }).join("\n")).toMatch(/additional properties \(replicas\)/);
  });
});
