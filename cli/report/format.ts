// The report writes numbers as every reader of the factory does: the one module, core/lib/numbers.ts.

export { bytes, count, eur, fixed, percent, power } from "../../core/lib/numbers";
