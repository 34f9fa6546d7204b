// Numbers as a report prints them: grouped thousands and fixed decimals, the same on every machine.

export function count(n: number): string {
  return fixed(n, 0);
}

/** 1234.5 with 1 digit → "1,234.5". */
export function fixed(n: number, digits: number): string {
  const [whole, fraction] = Math.abs(n).toFixed(digits).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

export function percent(share: number, digits = 1): string {
  return `${fixed(share * 100, digits)}%`;
}

export function eur(amount: number): string {
  return `EUR ${fixed(amount, amount >= 1000 ? 0 : 2)}`;
}

/** Bytes in the largest decimal unit that keeps the figure at least 1 (checkpoints are quoted in TB). */
export function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${fixed(v, v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}
