# The USGS world data reader on real MCS 2023/2024 files (tests/fixtures/usgs, copied byte for byte).
# Checked by hand against the files: lithium Australia 74,700 t in 2022 and 86,000 t in 2023e;
# cobalt Congo (Kinshasa) 144,000 and 170,000 t; 'Japane' (footnote e) is Japan 3,000 kg; the nickel world reserves
# '>130,000,000' is a lower bound; platinum-group rows split into Pd and Pt by the Type text.
  $ rmct import usgs fixtures/usgs/mcs2024-lithi_world.csv fixtures/usgs/mcs2024-cobal_world.csv fixtures/usgs/mcs2024-galli_world.csv fixtures/usgs/mcs2024-plati_world.csv fixtures/usgs/mcs2024-nicke_world.csv --format csv | cut -d, -f1,3,4
  format,status,rows
  usgs,imported,33
  usgs,imported,42
  usgs,imported,21
  usgs,imported,42
  usgs,imported,33

  $ sqlite3 rmct.db "SELECT country, year, value, estimated FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-lithi_world.csv' AND measure = 'production' AND country IN ('AUS','CHL') ORDER BY 1, 2"
  AUS|2022|74700.0|0
  AUS|2023|86000.0|1
  CHL|2022|38000.0|0
  CHL|2023|44000.0|1

  $ sqlite3 rmct.db "SELECT country, year, value FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-cobal_world.csv' AND country = 'COD' AND measure = 'production' ORDER BY year"
  COD|2022|144000.0
  COD|2023|170000.0

  $ sqlite3 rmct.db "SELECT country, year, value, qualifier FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-galli_world.csv' AND country IN ('JPN','KOR') AND measure = 'production' ORDER BY 1, 2"
  JPN|2022|3000.0|
  JPN|2023|3000.0|
  KOR|2022|2000.0|
  KOR|2023|2000.0|

  $ sqlite3 rmct.db "SELECT row_kind, value, qualifier FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-nicke_world.csv' AND measure = 'reserves' AND row_kind <> 'country' ORDER BY 1"
  other|9100000.0|lower bound
  world|130000000.0|lower bound

  $ sqlite3 rmct.db "SELECT element, count(*) FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-plati_world.csv' AND measure = 'production' GROUP BY 1"
  Pd|14
  Pt|14

  $ sqlite3 rmct.db "SELECT dataset, edition, publisher, file_name FROM source WHERE file_name = 'mcs2024-lithi_world.csv'"
  usgs-mcs|2024|U.S. Geological Survey|mcs2024-lithi_world.csv

# The combined MCS 2025 file (bundled) moved W and NA into the notes columns, one per measure: Bolivia's
# bismuth capacity cells are empty with CAP_NOTES "NA" (not available); US boron production is empty
# with PROD_NOTES "W for 23-24" (withheld), while its empty capacity cells say nothing (not reported).
  $ sqlite3 rmct.db "SELECT s.type_code, measure, year, qualifier FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'MCS2025_World_Data.csv' AND ((s.type_code = 'Bi' AND country = 'BOL' AND measure = 'capacity') OR (s.type_code = 'B' AND country = 'USA' AND measure <> 'reserves')) ORDER BY 1, 2, 3"
  B|capacity|2023|not reported
  B|capacity|2024|not reported
  B|production|2023|withheld
  B|production|2024|withheld
  Bi|capacity|2023|not available
  Bi|capacity|2024|not available

# Newer editions sit beside older ones; queries take the newest per year: lithium 2022 comes from
# MCS 2024, 2024 and 2025 from MCS 2026 (bundled), 2023 from the bundled MCS 2025 data release.
  $ rmct show lithium | sed -n '/^Trend/,/^$/p'
  Trend, Li mine production (years available):
  year   world (t)  change %  top producer  top %    HHI  edition  ref
  -----  ---------  --------  ------------  -----  -----  -------  ---
  2022     146,000            Australia      51.0  3,537  2024     [3]
  2023     204,000      39.7  Australia      45.0  2,823  2025     [4]
  2024     222,000       8.8  Australia      37.1  2,346  2026     [1]
  2025e    290,000      30.6  Australia      31.9  2,047  2026     [1]

  $ rmct show lithium --edition 2024 | grep -A3 '^World mine'
  World mine production of Li (Lithium), 2023 (estimated), in t Li content  [1]
    Table: Mine production, lithium content
  #  country                   ISO  production (t)  share %  reserves (t)  R/P (years)
  -  ------------------------  ---  --------------  -------  ------------  -----------

# Importing the same bytes again changes nothing
  $ before=$(dbhash); rmct import usgs fixtures/usgs/mcs2024-lithi_world.csv --format csv | cut -d, -f3; [ "$(dbhash)" = "$before" ] && echo unchanged
  status
  unchanged
  unchanged

# Value markers: dash = 0, ranges (midpoint), 'e' prefix (estimated), '<' / '>' bounds, W, NA, XX
  $ rmct import usgs fixtures/usgs/markers_mcs2024-tungs_world.csv --format csv | cut -d, -f3,4
  status,rows
  imported,9

  $ sqlite3 rmct.db "SELECT ifnull(country, row_kind), year, measure, value, qualifier, estimated FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'markers_mcs2024-tungs_world.csv' ORDER BY s.id"
  CHN|2022|production|0.0||0
  CHN|2023|production|1500.0|range 1000-2000, midpoint|1
  CHN|2023|reserves|100.0|upper bound|0
  RWA|2022|production|1100.0||1
  RWA|2023|production||included elsewhere|1
  RWA|2023|reserves|5000.0|lower bound|0
  other|2022|production||withheld|0
  other|2023|production||not available|1
  other|2023|reserves||not applicable|0

# A commodity file with a product qualifier: titanium sponge is read, TiO2 pigment capacity is not
  $ rmct import usgs fixtures/usgs/mcs2024-titan_world.csv --format csv | cut -d, -f3,4
  status,rows
  imported,45

  $ sqlite3 rmct.db "SELECT DISTINCT measure, stage, basis FROM supply_stat s JOIN source o ON o.id = s.source_id WHERE o.file_name = 'mcs2024-titan_world.csv'"
  capacity|refinery|metal
  production|refinery|metal

# Bad input: a clear error and nothing stored
  $ before=$(dbhash); rmct import usgs fixtures/usgs/bad-value_mcs2024-lithi_world.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/usgs/bad-value_mcs2024-lithi_world.csv:3:59: Prod_t_est_2023: expected a number, or W, NA, XX, a dash, <n, >n or a range a-b, got "lots"
  unchanged
  [1]

  $ before=$(dbhash); rmct import usgs fixtures/usgs/bad-country_mcs2024-lithi_world.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/usgs/bad-country_mcs2024-lithi_world.csv:3:9: Country: expected a known country (ISO 3166 name or code, or an alias in data/country_aliases.csv), got "Argentinia"
  unchanged
  [1]

  $ before=$(dbhash); rmct import usgs fixtures/usgs/bad-unit_mcs2024-lithi_world.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/usgs/bad-unit_mcs2024-lithi_world.csv:1:5: Prod_lb_est_2023: expected a mass unit in the column name (t, kt, kg, Mt), got "lb"
  unchanged
  [1]

  $ before=$(dbhash); rmct import usgs fixtures/usgs/mcs2024-cemen_world.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/usgs/mcs2024-cemen_world.csv: expected a commodity of Korea's 35 rare-metal types (data/usgs_commodities.csv), got the USGS code "cemen"
  unchanged
  [1]

  $ before=$(dbhash); rmct import usgs fixtures/generic/good.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/good.csv:1:1: expected a USGS world data header (Source,Country,Type,Prod_<unit>_<year>,... or SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_<year>,...), got "metal,stage,..."
  unchanged
  [1]

