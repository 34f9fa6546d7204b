// The plan report's shape, which text and markdown render and each section builder fills.

export interface Table {
  columns: string[];
  /** Right-aligned columns (numbers). */
  numeric: boolean[];
  rows: string[][];
}

export interface Section {
  title: string;
  facts: [string, string][];
  tables: Table[];
  notes: string[];
}

export interface Report {
  title: string;
  sections: Section[];
}
