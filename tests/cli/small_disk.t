# A large trade file on a small disk: only the rare-metal flows enter the database, so a 100 MB BACI
# file (one row in 1,000 is lithium carbonate; tests/tools/gen-baci-large) imports with files limited
# to 20 MB. When the disk does fill up, the error says so and the database is unchanged.
  $ "$ROOT/tests/tools/gen-baci-large" 100 > BACI_HS17_Y2023_big.csv; (ulimit -f 20480; trap '' XFSZ; rmct import baci BACI_HS17_Y2023_big.csv --format csv | cut -d, -f3,4); ls -l rmct.db | awk '{print ($5 < 20000000) ? "database below 20 MB" : "database too large"}'
  status,rows
  imported,3036
  database below 20 MB

  $ "$ROOT/tests/tools/gen-large" 20 > big.csv; before=$(dbhash); (ulimit -f 8192; trap '' XFSZ; rmct import generic big.csv 2>&1 | sed 's/(rmct.db)$//'; exit ${PIPESTATUS[0]}); s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: storing a supply row: disk I/O error: File too large 
  unchanged
  [1]
