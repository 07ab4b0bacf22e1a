// Writes the contract between the stack and the jobs (scripts/table-specs.ts) for one stack: the declared
// tables and the stack's job parameters, read from its own Pulumi.<stack>.yaml.
// Usage: export-table-specs.ts [out-file] [stack]   (defaults: build/table-specs.json, dev)
import * as fs from "fs";
import * as path from "path";
import { readStackConfigFile } from "../config/load";
import { tableSpecs } from "./table-specs";

const out = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "build", "table-specs.json"));
const stack = process.argv[3] ?? "dev";
const specs = tableSpecs(stack, readStackConfigFile(stack));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(specs, null, 2)}\n`);
console.log(
  `wrote ${specs.tables.length} table specs and the ${stack} stack's job parameters to ${path.relative(process.cwd(), out)}`,
);
