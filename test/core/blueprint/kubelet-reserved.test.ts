import { describe, expect, it } from "vitest";
import { eksCpuReserveMillis, kubeletReserved } from "../../../core/blueprint/kubelet-reserved";
import { instanceType } from "../../../core/catalog/instances";
import { parseUserData, userDataBase64 } from "../../../core/render/aws/user-data";
import { designedStack } from "../../fixtures/kubernetes/stacks";

// A 192-vCPU, 2-TiB GPU node keeps room for its kubelet, its daemons and the Lustre client, and evicts before the
// kernel kills: more than EKS's defaults (sized for pods alone), still nearly all of the node for the job.

const mib = (q: string) => Number(q.replace(/Mi$/, ""));
const millis = (q: string) => Number(q.replace(/m$/, ""));

describe("the kubelet's reservations on a GPU node", () => {
  const p5 = instanceType("p5.48xlarge")!;
  const r = kubeletReserved(p5, 200);

  it("follow EKS's formula for the kubelet and runtime", () => {
    expect(p5.vcpus).toBe(192);
    expect(eksCpuReserveMillis(1)).toBe(60);
    expect(eksCpuReserveMillis(4)).toBe(80);
    expect(eksCpuReserveMillis(192)).toBe(550);
    expect(r.kubeReserved.memory).toBe(`${11 * 200 + 255}Mi`);
  });

  it("keep 1% of a 2-TiB node and two cores for the node's daemons, evict at 0.5%, and leave over 97% to pods", () => {
    expect(mib(r.systemReserved.memory)).toBe(Math.ceil(2048 * 1024 * 0.01));
    expect(r.systemReserved.cpu).toBe("2000m");
    expect(mib(r.evictionHard["memory.available"])).toBe(Math.ceil(2048 * 1024 * 0.005));
    const kept = mib(r.kubeReserved.memory) + mib(r.systemReserved.memory) + mib(r.evictionHard["memory.available"]);
    expect(kept / (2048 * 1024)).toBeLessThan(0.03);
    expect((millis(r.kubeReserved.cpu) + millis(r.systemReserved.cpu)) / (192 * 1000)).toBeLessThan(0.02);
  });

  it("grow with the node and never fall below the kubelet's own defaults", () => {
    const small = kubeletReserved({ vcpus: 4, memoryGiB: 16 }, 29);
    expect(mib(small.systemReserved.memory)).toBe(1024);
    expect(mib(small.evictionHard["memory.available"])).toBe(100);
    expect(small.evictionHard).toMatchObject({ "nodefs.available": "10%", "imagefs.available": "15%" });
  });

  it("reach every GPU node of the gigafactory through its NodeConfig", () => {
    const { blueprint } = designedStack("gigafactory");
    const pool = blueprint.pools[0];
    const join = { name: "gf", apiServerEndpoint: "https://x", certificateAuthority: "Y2E=", serviceCidr: "172.20.0.0/16" };
    const config = parseUserData(userDataBase64(join, { maxPods: pool.kubeletMaxPods, reserved: pool.kubeletReserved, labels: {}, taints: pool.taints, stripeLocalNvme: true })) as any;
    expect(config.spec.kubelet.config).toMatchObject({ maxPods: pool.kubeletMaxPods, ...pool.kubeletReserved });
  });
});
