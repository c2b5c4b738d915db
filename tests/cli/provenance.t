# Provenance and editions. Importing the bundled data again changes nothing.
  $ before=$(dbhash); rmct init --format csv | cut -d, -f3 | sort | uniq -c; [ "$(dbhash)" = "$before" ] && echo unchanged
        1 status
       28 unchanged
  unchanged

# Generic data without --edition ranks below every published edition: it does not replace USGS
# tungsten 2024 (China 67,000 t, 12 countries and the world row as in data/production.csv).
  $ rmct import generic fixtures/generic/good.csv --format csv | cut -d, -f3,4
  status,rows
  imported,5

  $ rmct show W --year 2024 --format csv | grep -c '^W,mine,2024,' ; rmct show W --year 2024 --format csv | grep ',CHN,' | cut -d, -f1-3,7,11
  12
  W,mine,2024,67000,production.csv

# The same data with --edition 2027 is newer than USGS MCS 2026 and is what queries take...
  $ rmct import generic fixtures/generic/crlf.csv --edition 2027 --format csv | cut -d, -f3,4
  status,rows
  imported,5

  $ rmct show W --year 2024 --format csv | cut -d, -f5,7,11
  country,production_t,source_file
  China,67000,crlf.csv
  Vietnam,3400,crlf.csv
  Russia,1500,crlf.csv

# ...unless --edition asks for another one.
  $ rmct show W --year 2024 --edition 2026 --format csv | cut -d, -f5,7 | head -3
  country,production_t
  China,67000
  Vietnam,3400

  $ rmct sources --format csv | grep -c ','
  31

# A different file under the same name, dataset and edition is refused without --replace
  $ mkdir -p v2 && sed 's/67000/67001/' fixtures/generic/good.csv > v2/good.csv && rmct import generic v2/good.csv 2>&1 | sed 's/on 20[0-9T:-]*Z/on DATE/'; exit ${PIPESTATUS[0]}
  rmct: v2/good.csv: a different file named good.csv was already imported as generic:good.csv edition 0 (on DATE, SHA-256 188a3d5000ea...); use --replace to replace it, or --edition to import it beside the old one
  [1]

  $ rmct import generic v2/good.csv --replace --format csv | cut -d, -f3,4
  status,rows
  replaced,5

# Units are matched without regard to case, and stored as data/units.csv spells them
  $ printf 'metal,stage,country,year,value,unit,source\nW,mine,Austria,2024,890,T,a test row\n' > upper.csv && rmct import generic upper.csv --format csv | cut -d, -f3,4 && sqlite3 rmct.db "SELECT unit FROM supply_stat WHERE country = 'AUT' AND year = 2024 AND source_id = (SELECT max(id) FROM source)"
  status,rows
  imported,1
  t

