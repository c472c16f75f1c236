// Validates every incident data file of a built pir site against the JSON
// Schemas published beside them (schemas/incident-v1.schema.json for
// issues/*/*.json, schemas/incidents-v1.schema.json for incidents.json), with Ajv
// (JSON Schema draft 2020-12, formats checked).
//
// Usage: node check-data.mjs <public-dir>

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node check-data.mjs <public-dir>");
  process.exit(2);
}
const read = (path) => JSON.parse(readFileSync(path, "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const incident = ajv.compile(read(join(publicDir, "schemas/incident-v1.schema.json")));
const index = ajv.compile(read(join(publicDir, "schemas/incidents-v1.schema.json")));

/** Every .json file below the issues folder. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith(".json") ? [path] : [];
  });
}

const problems = [];
let checked = 0;
for (const [path, validate] of [[join(publicDir, "incidents.json"), index], ...files(join(publicDir, "issues")).map((f) => [f, incident])]) {
  checked += 1;
  if (!validate(read(path))) {
    for (const e of validate.errors) problems.push(`${relative(publicDir, path)}: ${e.instancePath || "/"} ${e.message}`);
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${checked} data files valid against their schemas`);
