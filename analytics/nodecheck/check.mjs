// Opens a published skilltrend database read-only with @duckdb/node-api, a
// client independent of the Go driver, and queries every documented view.
// Usage: node check.mjs DB VIEW... ; prints one JSON object on stdout.
import { DuckDBInstance } from '@duckdb/node-api';

const [dbPath, ...views] = process.argv.slice(2);
if (!dbPath || views.length === 0) {
  console.error('usage: node check.mjs DB VIEW...');
  process.exit(2);
}

const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
const conn = await instance.connect();
const out = { views: {} };

out.version = (await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
for (const view of views) {
  const reader = await conn.runAndReadAll(`SELECT * FROM "${view.replaceAll('"', '""')}"`);
  out.views[view] = { columns: reader.columnNames(), rows: reader.currentRowCount };
}
out.goDemand = (await conn.runAndReadAll(
  `SELECT strftime(month, '%Y-%m') AS month, postings, total_postings, share
   FROM skill_demand_monthly WHERE role = 'all' AND skill_id = 'go' ORDER BY month`,
)).getRowsJson();

try {
  await conn.run('CREATE TABLE nodecheck_write_probe (x INTEGER)');
  out.writeRefused = false;
} catch {
  out.writeRefused = true;
}

conn.closeSync();
instance.closeSync();
console.log(JSON.stringify(out));
