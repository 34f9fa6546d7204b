import { EU_MEMBER_REGIONS, isAwsRegion, OTHER_AWS_REGIONS, REGIONS, region as regionFacts } from "../../catalog/regions";
import type { Region } from "../../catalog/types";
import { closest } from "../did-you-mean";
import { error, info } from "../findings";
import { REGION_PATH } from "../paths";
import type { Finding } from "../schema";

// The stack's aws:region: an AWS region, in an EU member state (the UK and Switzerland are not).

const ALL_REGIONS = [...Object.keys(REGIONS), ...OTHER_AWS_REGIONS];

export function validateRegion(regionName: string | undefined, stack: string): { region?: Region; findings: Finding[] } {
  const euRegions = EU_MEMBER_REGIONS.join(", ");
  if (regionName === undefined || regionName.trim() === "") {
    return {
      findings: [error(REGION_PATH, `the stack ${stack} sets no aws:region`, `set config: aws:region: in stacks/Pulumi.${stack}.yaml to an EU region: ${euRegions}`)],
    };
  }
  if (!isAwsRegion(regionName)) {
    const guess = closest(regionName, ALL_REGIONS);
    return {
      findings: [
        error(REGION_PATH, `${JSON.stringify(regionName)} is not an AWS region`, `${guess ? `did you mean ${guess}? ` : ""}EU regions: ${euRegions}`),
      ],
    };
  }
  const facts = regionFacts(regionName);
  if (!facts || !facts.euMember) {
    // "the United Kingdom", "the Netherlands"; "Switzerland".
    const country = facts && /^(United |Netherlands)/.test(facts.country) ? `the ${facts.country}` : facts?.country;
    const where = country ? `in ${country}, which is not an EU member state` : "outside the EU";
    return {
      findings: [error(REGION_PATH, `${regionName} is ${where}: an EU factory keeps its data in the EU-27`, `use an EU region: ${euRegions}`)],
    };
  }
  const findings: Finding[] = [];
  if (facts.partition !== "aws") {
    findings.push(
      info(
        REGION_PATH,
        `${regionName} is in the ${facts.partition} partition: its own accounts, ARNs (arn:${facts.partition}:) and endpoints (*.${facts.dnsSuffix})`,
        "use credentials of that partition; nothing crosses to or from the aws partition",
      ),
    );
  }
  return { region: facts, findings };
}
