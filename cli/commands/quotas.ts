import type { Command } from "commander";
import type { Blueprint, QuotaNeed } from "../../core/blueprint/types";
import { reservationsTable } from "../report/model";
import { EXIT_OK, InputError, verb } from "../exit";
import { count } from "../report/format";
import { renderText } from "../report/text";
import { addStackOptions, projectOf, type StackOptions } from "./stack-options";
import { addFormatOptions, addQuietOption, formatTarget, type OutputOptions, writeOutput } from "../output";

// `gigafactory quotas --stack S`: the service quotas the factory needs against AWS's defaults, from the
// blueprint alone (no Pulumi), so they can be requested weeks before the first `pulumi up`.

interface QuotasOptions extends StackOptions, OutputOptions {}

export function registerQuotas(program: Command): void {
  const cmd = addStackOptions(program.command("quotas").description("the AWS service quotas the factory needs, the defaults, and what to raise"));
  addQuietOption(addFormatOptions(cmd, "json", "the quotas", true)).action(verb((opts: QuotasOptions) => quotas(opts)));
}

export function quotas(opts: QuotasOptions): number {
  // Loaded when the verb runs, so `--help` and the other verbs start quickly.
  const { designStack, isDesigned } = require("../../plan/engine/design-stack") as typeof import("../../plan/engine/design-stack");
  const project = projectOf(opts);
  const json = formatTarget(opts, "json");
  const design = designStack(project, opts.stack);
  if (!isDesigned(design)) throw new InputError(design.messages);
  for (const m of design.messages) process.stderr.write(`${m}\n`);
  const needs = design.blueprint.quotas;
  const document = `${JSON.stringify({ stack: opts.stack, region: design.blueprint.region, quotas: needs }, null, 2)}\n`;
  if (json.file) writeOutput(json.file, document, opts);
  if (json.stdout) {
    process.stdout.write(document);
    return EXIT_OK;
  }
  process.stdout.write(quotasText(opts.stack, design.blueprint.region, needs, design.blueprint));
  return EXIT_OK;
}

/** The quotas, and beside them the capacity the factory runs on: the reservations it names or creates, which no quota grants. */
function quotasText(stack: string, region: string, needs: QuotaNeed[], blueprint: Pick<Blueprint, "pools" | "units" | "nodeGroups">): string {
  const raise = needs.filter((q) => q.raise).length;
  const capacity = reservationsTable(blueprint);
  return renderText({
    title: `gigafactory quotas: stack ${stack}, ${region}`,
    sections: [
      {
        title: `Service quotas (${raise} to raise)`,
        facts: [],
        tables: [
          {
            columns: ["quota", "needed", "AWS default", "ceiling", "unit", "service", "quota code", "raise"],
            numeric: [false, true, true, true, false, false, false, false],
            rows: needs.map((q) => [
              q.name,
              count(q.needed),
              count(q.defaultValue),
              q.ceiling === null ? "-" : `${count(q.ceiling)}${q.adjustable ? "" : " (hard)"}`,
              q.unit,
              q.serviceCode,
              q.quotaCode,
              // A hard limit is never raised: a need past it is an error of the spec, which stops the design before this.
              !q.raise ? "no" : q.adjustable ? "yes" : "no: hard limit",
            ]),
          },
        ],
        notes: raise ? [`raise with: aws service-quotas request-service-quota-increase --region ${region} --service-code <service> --quota-code <code> --desired-value <needed>`] : [],
      },
      ...(capacity
        ? [
            {
              title: "Capacity reservations",
              facts: [],
              tables: [capacity],
              notes: ["a quota lets the factory run instances; only a reservation AWS has delivered (or a capacity block) holds P-family capacity for them: confirm each with aws ec2 describe-capacity-reservations"],
            },
          ]
        : []),
    ],
  });
}
