// An independent check of an SCDL file against its Table Schema, by frictionlessdata's
// `tableschema` (npm), not by octroi's code: the header must be the schema's fields in order,
// and every cell must cast to its type and meet its constraints (pattern, enum, maxLength,
// minimum, maximum, required).
//
//   node scripts/validate-scdl.mjs SCHEMA.json FILE.csv
//
// Prints one JSON object per line for each error ({"row": N, "field": "...", "message": "..."};
// row 1 is the header) and a last line {"rows": N, "errors": N}. Exit status: 0 when the file is
// valid, 1 when it is not, 2 when the files cannot be read.
import { readFileSync } from 'node:fs';
import { Table } from 'tableschema';

const [schemaPath, csvPath] = process.argv.slice(2);
if (!schemaPath || !csvPath) {
  console.error('usage: node scripts/validate-scdl.mjs SCHEMA.json FILE.csv');
  process.exit(2);
}
let schema;
try {
  schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  readFileSync(csvPath);
} catch (e) {
  console.error(`validate-scdl: ${e.message}`);
  process.exit(2);
}

const errors = [];
const expected = schema.fields.map((f) => f.name);
const table = await Table.load(csvPath, { schema });
await table.read({ limit: 1 }).catch(() => {}); // reads the header
const headers = table.headers || [];
if (JSON.stringify(headers) !== JSON.stringify(expected)) {
  errors.push({ row: 1, field: '', message: `header ${JSON.stringify(headers)} is not the schema's ${JSON.stringify(expected)}` });
}
// The cells are checked even when the header is wrong: against the schema's fields the file
// does have, in the file's order (an unknown column is an error of its own), so that a file of an
// older version of the schema still gets its cells' errors.
const known = new Map(schema.fields.map((f) => [f.name, f]));
for (const h of headers) if (!known.has(h)) errors.push({ row: 1, field: h, message: `unknown column "${h}"` });
const fields = headers.filter((h) => known.has(h)).map((h) => known.get(h));
let rows = 0;
if (fields.length === headers.length && fields.length > 0) {
  const stream = await Table.load(csvPath, { schema: { ...schema, fields } });
  const read = await stream.read({ forceCast: true });
  read.forEach((r, i) => {
    rows += 1;
    if (!(r instanceof Error)) return;
    const detail = r.errors && r.errors.length ? r.errors : [r];
    for (const e of detail) {
      errors.push({ row: i + 2, field: e.columnNumber ? headers[e.columnNumber - 1] : '', message: e.message });
    }
  });
}
for (const e of errors) console.log(JSON.stringify(e));
console.log(JSON.stringify({ rows, errors: errors.length }));
process.exit(errors.length ? 1 : 0);
