import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { region } from "../../../core/catalog/regions";
import { parseAvailabilityZoneId, parseReservationGroupArn, parseReservationId, RESERVATION_ID } from "../../../core/spec/reservations";
import { at, errorsOf, only, validate } from "../../fixtures/spec/specs";

// Capacity AWS has delivered, as a stack file names it: what parses, what is refused at which YAML path, and what a
// pool on unreserved P-family capacity is warned about.

const P = "gigafactory:factory";
const STOCKHOLM = region("eu-north-1")!;
const GROUP = "arn:aws:resource-groups:eu-north-1:111122223333:group/gf-h200";

/** A gigafactory pool of 96 nodes on delivered reservations in eun1-az1. */
function deliveredDoc(reservations: Record<string, unknown>[] = [{ reservationId: "cr-0123456789abcdef0", availabilityZoneId: "eun1-az1", instances: 64 }, { resourceGroupArn: GROUP, availabilityZoneId: "eun1-az1", instances: 32 }]): Record<string, any> {
  return {
    preset: "gigafactory",
    costCenter: "cc",
    pools: { train: { instanceType: "p5en.48xlarge", nodes: 96, availabilityZoneId: "eun1-az1", capacity: { source: "odcr", reservations } } },
    tenants: { acme: { gpuQuota: 256 } },
  };
}

describe("the parsers", () => {
  it("take a reservation id of cr- and 17 hex digits, and nothing else, whatever the text", () => {
    expect(parseReservationId("cr-0123456789abcdef0")).toEqual({ ok: true, value: "cr-0123456789abcdef0" });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^cr-[0-9a-fA-F]{0,20}$/), fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true })), (text) => {
        const parsed = parseReservationId(text);
        if (parsed.ok) expect(RESERVATION_ID.test(parsed.value)).toBe(true);
        else expect(parsed.problem.length).toBeGreaterThan(0), expect(parsed.hint.length).toBeGreaterThan(0);
        expect(parsed.ok).toBe(typeof text === "string" && RESERVATION_ID.test(text.trim()));
      }),
      { numRuns: 500 },
    );
    expect(parseReservationId("cr-01234567")).toMatchObject({ ok: false, problem: expect.stringContaining("short id") });
    expect(parseReservationId(GROUP)).toMatchObject({ ok: false, hint: expect.stringContaining("resourceGroupArn") });
  });

  it("take a resource group ARN of the stack's region and partition only", () => {
    expect(parseReservationGroupArn(GROUP, STOCKHOLM)).toEqual({ ok: true, value: { arn: GROUP, partition: "aws", region: "eu-north-1", account: "111122223333", name: "gf-h200" } });
    expect(parseReservationGroupArn(GROUP.replace("eu-north-1", "eu-west-1"), STOCKHOLM)).toMatchObject({ ok: false, problem: "resource group gf-h200 is in eu-west-1, not the stack's region eu-north-1" });
    expect(parseReservationGroupArn(GROUP.replace(":aws:", ":aws-eusc:"), STOCKHOLM)).toMatchObject({ ok: false, problem: expect.stringContaining("partition") });
    expect(parseReservationGroupArn("arn:aws:ec2:eu-north-1:111122223333:capacity-reservation/cr-0123456789abcdef0", STOCKHOLM).ok).toBe(false);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), fc.stringMatching(/^arn:aws:resource-groups:[a-z0-9-]{0,12}:\d{10,13}:group\/[A-Za-z0-9._-]{0,12}$/)), (text) => {
        const parsed = parseReservationGroupArn(text, STOCKHOLM);
        if (parsed.ok) expect(parsed.value.region).toBe("eu-north-1"), expect(parsed.value.arn).toBe((text as string).trim());
        else expect(parsed.hint).toMatch(/arn:aws:resource-groups:eu-north-1:|group|region|partition/);
      }),
      { numRuns: 500 },
    );
  });

  it("take an AZ ID of the stack's region, and tell a zone's name from its ID", () => {
    for (const id of STOCKHOLM.availabilityZoneIds) expect(parseAvailabilityZoneId(id, STOCKHOLM)).toEqual({ ok: true, value: id });
    expect(STOCKHOLM.availabilityZoneIds).toEqual(["eun1-az1", "eun1-az2", "eun1-az3"]);
    expect(region("eu-south-2")!.availabilityZoneIds).toEqual(["eus2-az1", "eus2-az2", "eus2-az3"]);
    expect(parseAvailabilityZoneId("euw1-az1", STOCKHOLM)).toMatchObject({ ok: false, problem: "euw1-az1 is not an AZ ID of eu-north-1", hint: "AZ IDs of eu-north-1: eun1-az1, eun1-az2, eun1-az3" });
    expect(parseAvailabilityZoneId("eun1-az9", STOCKHOLM)).toMatchObject({ ok: false });
    expect(parseAvailabilityZoneId("eu-north-1a", STOCKHOLM)).toMatchObject({ ok: false, problem: expect.stringContaining("a zone's name, not its AZ ID") });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), fc.stringMatching(/^[a-z]{3,4}\d-az\d{1,2}$/)), (text) => {
        const parsed = parseAvailabilityZoneId(text, STOCKHOLM);
        expect(parsed.ok).toBe(typeof text === "string" && STOCKHOLM.availabilityZoneIds.includes(text.trim()));
      }),
      { numRuns: 500 },
    );
  });
});

describe("a pool on delivered reservations", () => {
  it("validates and is placed by its AZ ID, without placement groups of its own", () => {
    const v = validate(deliveredDoc());
    expect(errorsOf(v)).toEqual([]);
    expect(v.spec?.pools.train).toMatchObject({ availabilityZone: "eun1-az1", placement: "none" });
  });

  it("refuses an id of an unknown format, at its YAML path", () => {
    const doc = deliveredDoc();
    doc.pools.train.capacity.reservations[0].reservationId = "cr-XYZ";
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[0].reservationId`)).toMatchObject({ level: "error", message: '"cr-XYZ" is not a capacity reservation id' });
    doc.pools.train.capacity.reservations[0].reservationId = "r-0123456789abcdef0";
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[0].reservationId`).level).toBe("error");
  });

  it("refuses an AZ ID outside the stack's region, and capacity in another zone than the pool's", () => {
    const doc = deliveredDoc();
    doc.pools.train.capacity.reservations[1].availabilityZoneId = "euc1-az1";
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[1].availabilityZoneId`)).toMatchObject({ level: "error", message: "euc1-az1 is not an AZ ID of eu-north-1" });
    doc.pools.train.capacity.reservations[1].availabilityZoneId = "eun1-az2";
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[1].availabilityZoneId`).hint).toMatch(/availabilityZoneId: eun1-az2, or name capacity of eun1-az1/);
    const pool = deliveredDoc();
    pool.pools.train.availabilityZoneId = "eun1-az7";
    expect(only(validate(pool), `${P}.pools.train.availabilityZoneId`).level).toBe("error");
  });

  it("refuses reservations that hold fewer nodes than the pool asks, and warns of reserved instances left unused", () => {
    const doc = deliveredDoc();
    doc.pools.train.nodes = 128;
    const f = only(validate(doc), `${P}.pools.train.capacity.reservations`);
    expect(f).toMatchObject({ level: "error", message: "pool train asks for 128 nodes but its reservations hold 96 instances: the other 32 would have no capacity" });
    expect(f.hint).toMatch(/nothing falls back to on-demand/);
    doc.pools.train.nodes = 64;
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations`).level).toBe("warning");
  });

  it("refuses the same reservation named twice, in one pool or two, at the second place", () => {
    const doc = deliveredDoc([
      { reservationId: "cr-0123456789abcdef0", availabilityZoneId: "eun1-az1", instances: 48 },
      { reservationId: "cr-0123456789abcdef0", availabilityZoneId: "eun1-az1", instances: 48 },
    ]);
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[1].reservationId`).message).toMatch(/named twice \(first at gigafactory:factory\.pools\.train\.capacity\.reservations\[0\]\.reservationId\)/);
    const two = deliveredDoc();
    two.pools.more = structuredClone(two.pools.train);
    expect(errorsOf(validate(two)).map((e) => e.path)).toEqual([`${P}.pools.more.capacity.reservations[0].reservationId`, `${P}.pools.more.capacity.reservations[1].resourceGroupArn`]);
  });

  it("refuses a reservation named by both or neither of id and group, and a group of another region", () => {
    const doc = deliveredDoc([{ reservationId: "cr-0123456789abcdef0", resourceGroupArn: GROUP, availabilityZoneId: "eun1-az1", instances: 96 }]);
    expect(only(validate(doc), `${P}.pools.train.capacity.reservations[0]`).level).toBe("error");
    const other = deliveredDoc([{ resourceGroupArn: GROUP.replace("eu-north-1", "eu-west-1"), availabilityZoneId: "eun1-az1", instances: 96 }]);
    expect(only(validate(other), `${P}.pools.train.capacity.reservations[0].resourceGroupArn`).level).toBe("error");
  });

  it("must be placed by AZ ID, and never in a cluster placement group made afterwards", () => {
    const byName = deliveredDoc();
    delete byName.pools.train.availabilityZoneId;
    byName.pools.train.availabilityZone = "eu-north-1a";
    expect(only(validate(byName), `${P}.pools.train.availabilityZone`)).toMatchObject({ level: "error", hint: "replace availabilityZone with availabilityZoneId: eun1-az1" });
    const clustered = deliveredDoc();
    clustered.pools.train.placement = "cluster";
    expect(only(validate(clustered), `${P}.pools.train.placement`).message).toMatch(/a placement group made now holds none of their capacity/);
  });

  it("asks for reservations when ODCRs name none, and creates them only when told, for a small pool by zone name", () => {
    const none = deliveredDoc();
    delete none.pools.train.capacity.reservations;
    expect(only(validate(none), `${P}.pools.train.capacity`).level).toBe("error");
    const both = deliveredDoc();
    both.pools.train.capacity.create = true;
    expect(only(validate(both), `${P}.pools.train.capacity.create`).level).toBe("error");
    const created = { preset: "dev", costCenter: "cc", pools: { try: { instanceType: "p5.48xlarge", nodes: 2, availabilityZone: "eu-north-1a", capacity: { source: "odcr", create: true } } } };
    expect(validate(created).findings).toEqual([]);
    created.pools.try.nodes = 128;
    expect(only(validate(created), `${P}.pools.try.capacity.create`)).toMatchObject({ level: "warning", message: expect.stringContaining("AWS refuses at this size") });
  });
});

describe("unreserved P-family capacity in cluster placement groups", () => {
  it("is a warning at the pool's capacity above a handful of nodes, saying to name delivered capacity", () => {
    const doc = { preset: "dev", costCenter: "cc", pools: { try: { instanceType: "p5.48xlarge", nodes: 64, availabilityZone: "eu-north-1a", capacity: { source: "on-demand" } } } };
    const w = only(validate(doc), `${P}.pools.try.capacity.source`);
    expect(w).toMatchObject({ level: "warning", message: expect.stringContaining("64 on-demand p5.48xlarge nodes in cluster placement groups") });
    expect(w.hint).toMatch(/source: odcr, reservations/);
    doc.pools.try.nodes = 8;
    expect(at(validate(doc), `${P}.pools.try.capacity.source`)).toEqual([]);
  });
});

describe("any reservations a stack file can hold", () => {
  const text = fc.oneof(fc.string(), fc.constantFrom("cr-0123456789abcdef0", "cr-0123456789abcdef1", GROUP, "eun1-az1", "eun1-az2", "euw1-az1", "eu-north-1a", ""));
  const entry = fc.record(
    { reservationId: text, resourceGroupArn: text, availabilityZoneId: text, instances: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.string()) },
    { requiredKeys: [] },
  );

  it("validate to findings that each name a YAML path and what to do, never an exception, and no spec when any is an error", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.integer({ min: 1, max: 4000 }), fc.boolean(), (reservations, nodes, create) => {
        const doc = deliveredDoc(reservations as Record<string, unknown>[]);
        doc.pools.train.nodes = nodes;
        if (create) doc.pools.train.capacity.create = true;
        const v = validate(doc);
        for (const f of v.findings) {
          expect(f.path.startsWith(P)).toBe(true);
          expect(f.message.length).toBeGreaterThan(0);
          expect(f.hint.length).toBeGreaterThan(0);
        }
        const errors = errorsOf(v);
        expect(v.spec === undefined).toBe(errors.length > 0);
        // A spec that validates holds the pool's nodes in reservations it can name, each once, in the pool's zone.
        if (v.spec) {
          const named = v.spec.pools.train.capacity.source === "odcr" ? v.spec.pools.train.capacity.reservations ?? [] : [];
          expect(named.reduce((s, r) => s + r.instances, 0)).toBeGreaterThanOrEqual(nodes);
          expect(named.every((r) => r.availabilityZoneId.trim() === "eun1-az1")).toBe(true);
          const ids = named.map((r) => (r.reservationId ?? r.resourceGroupArn ?? "").trim());
          expect(new Set(ids).size).toBe(ids.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
