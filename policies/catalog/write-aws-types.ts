import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderAwsTypes, scanAwsTypes } from "./scan-aws-types";

// `npx tsx policies/catalog/write-aws-types.ts`: regenerates aws-types.generated.ts after an SDK upgrade.
const awsDir = dirname(require.resolve("@pulumi/aws/package.json"));
const version = (JSON.parse(readFileSync(join(awsDir, "package.json"), "utf8")) as { version: string }).version;
writeFileSync(join(__dirname, "aws-types.generated.ts"), renderAwsTypes(scanAwsTypes(awsDir), version));
