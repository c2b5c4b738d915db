// DuckDB reference for the trade-summary benchmark (bench/README.md).
//
//   node duckdb-summary.mjs FILE a|b > out.csv
//
// Reads a CEPII BACI-format CSV (t,i,j,k,v,q) and writes, per (t, j, k), the CSV
//   t,j,k,total_value,n_partners,top1_partner,top1_share,hhi
// sorted by t, j, k (k as text). Job a: importer j = 410 only; job b: every importer.
// Rows with the same (t,i,j,k) are summed first. v is an exact decimal (DECIMAL(18,3)), so
// total_value is exact and printed with 3 decimals; top1_share and hhi are computed in DOUBLE from
// the exact sums and printed with 17 significant digits (%.17g). The largest exporter breaks ties
// on the smallest exporter code. q is read as text and not used.
//
// DuckDB writes the CSV itself (COPY ... TO '/dev/stdout'), so the query time that this prints on
// stderr covers reading the file, computing and writing the result, and excludes starting Node and
// DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, job] = process.argv.slice(2);
if (!file || (job !== 'a' && job !== 'b')) {
  process.stderr.write('usage: node duckdb-summary.mjs FILE a|b > out.csv\n');
  process.exit(2);
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

const where = job === 'a' ? 'WHERE j = 410' : '';
const query = `
COPY (
  WITH flows AS (
    SELECT t, i, j, k, sum(v) AS v
    FROM read_csv(${sqlString(file)},
                  header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
                  columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR',
                             'v': 'DECIMAL(18,3)', 'q': 'VARCHAR'})
    ${where}
    GROUP BY t, i, j, k
  ),
  cells AS (
    SELECT t, j, k,
           sum(v) AS total,
           count(*) AS n_partners,
           arg_max(i, (v, -i)) AS top1_partner,
           max(v) AS top1_value,
           sum(v::DOUBLE * v::DOUBLE) AS sum_sq
    FROM flows
    GROUP BY t, j, k
  )
  SELECT t, j, k,
         total::VARCHAR AS total_value,
         n_partners,
         top1_partner,
         printf('%.17g', top1_value::DOUBLE / total::DOUBLE) AS top1_share,
         printf('%.17g', sum_sq / (total::DOUBLE * total::DOUBLE)) AS hhi
  FROM cells
  ORDER BY t, j, k
) TO '/dev/stdout' (FORMAT csv, HEADER true, QUOTE '"')`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
await connection.run('SET threads = 2');
await connection.run('SET preserve_insertion_order = true');
const started = process.hrtime.bigint();
await connection.run(query);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stderr.write(`duckdb query ${job}: ${seconds.toFixed(3)} s\n`);
connection.closeSync();
instance.closeSync();
