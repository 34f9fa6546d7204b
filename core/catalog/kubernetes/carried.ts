import type { EksAddonName, KubernetesMinor } from "./types";

/**
 * Add-on builds a minor keeps from an earlier minor because no public source read says which builds it is offered:
 * the builds, and the `unconfirmed` line that makes a plan of the minor warn until the account confirms them.
 */
export function carriedAddons(from: KubernetesMinor, version: string, names: readonly EksAddonName[]): { builds: Readonly<Partial<Record<EksAddonName, string>>>; unconfirmed: string } {
  const listed = names.map((n) => `${n} ${from.addons[n]}`);
  const list = listed.length > 1 ? `${listed.slice(0, -1).join(", ")} and ${listed[listed.length - 1]}` : listed[0];
  return {
    builds: Object.fromEntries(names.map((n) => [n, from.addons[n]])),
    unconfirmed: `${list} are ${from.version}'s builds, not confirmed for ${version} (aws eks describe-addon-versions --kubernetes-version ${version} --addon-name <name>)`,
  };
}
