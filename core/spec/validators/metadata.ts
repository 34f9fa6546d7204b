import { TAG_COST_CENTER, TAG_DATA_CLASSIFICATION, TAG_FACTORY, TAG_POOL, TAG_TENANT } from "../tags";
import { error, info, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import { poolPath, type SpecCheck } from "./context";

// What the factory writes on every resource and node: tags AWS accepts, labels Kubernetes accepts.

/** AWS tags: 50 per resource, keys up to 128 characters, values up to 256, no aws: prefix (AWS tag restrictions [P]). */
export const TAGS_PER_RESOURCE_MAX = 50;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
// Characters every AWS service accepts in tags (AWS tag restrictions [P]); some accept more.
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const FACTORY_TAGS = [TAG_FACTORY, TAG_POOL, TAG_TENANT, TAG_COST_CENTER, TAG_DATA_CLASSIFICATION];

// Kubernetes label syntax ("Labels and Selectors" [P]): an optional DNS-subdomain prefix and a name of
// up to 63 characters; values up to 63 characters, alphanumeric at both ends.
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
// The kubelet may not set labels under these prefixes, except its own few (NodeRestriction [P]).
const RESERVED_LABEL_PREFIXES = ["kubernetes.io", "k8s.io"];

function checkTags(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const tags = Object.entries(check.input.tags ?? {});
  for (const [key, value] of tags) {
    const path = specPath("tags", key);
    if (key.length === 0 || key.length > TAG_KEY_MAX) findings.push(error(path, `a tag key has 1 to ${TAG_KEY_MAX} characters, this one ${key.length}`, "shorten the key"));
    else if (key.toLowerCase().startsWith("aws:")) findings.push(error(path, `tag keys starting with aws: are reserved for AWS`, "choose another key"));
    else if (FACTORY_TAGS.includes(key)) findings.push(warning(path, `the factory sets the tag ${key} itself, and its value wins`, key === TAG_COST_CENTER ? "set costCenter: instead" : key === TAG_DATA_CLASSIFICATION ? "set dataClassification: instead" : "remove it"));
    else if (!TAG_CHARACTERS.test(key)) findings.push(warning(path, `the tag key ${JSON.stringify(key)} has characters some AWS services refuse`, "use letters, digits, spaces and _ . : / = + - @"));
    if (value.length > TAG_VALUE_MAX) findings.push(error(path, `a tag value has at most ${TAG_VALUE_MAX} characters, this one ${value.length}`, "shorten the value"));
    else if (value.toLowerCase().startsWith("aws:")) findings.push(error(path, "tag values starting with aws: are reserved for AWS", "choose another value"));
    else if (!TAG_CHARACTERS.test(value)) findings.push(warning(path, `the tag value ${JSON.stringify(value)} has characters some AWS services refuse`, "use letters, digits, spaces and _ . : / = + - @"));
  }
  const room = TAGS_PER_RESOURCE_MAX - FACTORY_TAGS.length;
  const own = tags.filter(([k]) => !FACTORY_TAGS.includes(k)).length;
  if (own > room) findings.push(error(specPath("tags"), `${own} tags: with the factory's ${FACTORY_TAGS.length} that is more than the ${TAGS_PER_RESOURCE_MAX} AWS allows on a resource`, `keep at most ${room}`));
  return findings;
}

/** Why a label key or value is refused, or undefined. */
export function labelProblem(key: string, value: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !LABEL_PREFIX.test(prefix))) return `the prefix ${JSON.stringify(prefix)} is not a DNS subdomain`;
  if (!LABEL_NAME.test(name)) return `${JSON.stringify(name)} is not a label name (up to 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)`;
  if (!LABEL_VALUE.test(value)) return `${JSON.stringify(value)} is not a label value (up to 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)`;
  return undefined;
}

function checkLabels(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  for (const [pool, p] of Object.entries(check.input.pools ?? {})) {
    for (const [key, value] of Object.entries(p.labels ?? {})) {
      const path = poolPath(pool, "labels", key);
      const problem = labelProblem(key, value);
      if (problem) {
        findings.push(error(path, `Kubernetes refuses the label ${key}: ${problem}`, "rename the label or change its value"));
        continue;
      }
      const prefix = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
      if (RESERVED_LABEL_PREFIXES.some((r) => prefix === r || prefix.endsWith(`.${r}`))) {
        findings.push(warning(path, `labels under ${prefix}/ are reserved for Kubernetes, and the kubelet refuses most of them`, "use a prefix of your own, e.g. example.org/"));
      }
    }
  }
  return findings;
}

function checkCostCenter(check: SpecCheck): Finding[] {
  if (check.input.costCenter !== undefined || check.input.preset === "dev") return [];
  return [info(specPath("costCenter"), `no costCenter: every resource is tagged ${TAG_COST_CENTER}=${check.spec.costCenter}`, "set costCenter: to the budget that pays for the factory")];
}

export function validateMetadata(check: SpecCheck): Finding[] {
  return [...checkTags(check), ...checkLabels(check), ...checkCostCenter(check)];
}
