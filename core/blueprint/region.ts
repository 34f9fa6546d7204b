import { partitionOf, region } from "../catalog/regions";

/** The DNS suffix of a region's service principals and endpoints: the catalog's, else the partition's. */
export function dnsSuffixOf(regionName: string): string {
  return region(regionName)?.dnsSuffix ?? (partitionOf(regionName) === "aws-eusc" ? "amazonaws.eu" : "amazonaws.com");
}
