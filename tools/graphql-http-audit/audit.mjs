// Runs graphql-http's auditServer against the URL given and prints one JSON line per result;
// exits 1 when any result is an error (a MUST of the spec broken).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
let errors = 0;
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    line.reason = result.reason;
  }
  if (result.status === 'error') {
    errors += 1;
  }
  console.log(JSON.stringify(line));
}
process.exit(errors === 0 ? 0 : 1);
