# Bad input to 'rmct import generic': each case gets an error naming file, line, column and
# field, exits 1, and leaves the database exactly as it was (dbhash before = after).
# Checked by hand: line/column numbers against the fixture files in tests/fixtures/generic/.
  $ before=$(dbhash); rmct import generic fixtures/generic/empty.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/empty.csv:1:1: expected a header line, got an empty file
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/truncated.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/truncated.csv:3:12: expected 7 fields as in the header, got 3 (the file ends in the middle of a record)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/unterminated_quote.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/unterminated_quote.csv:2:27: source: expected a closing '"', got the end of the file (the file is truncated or a quote is unbalanced)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/wrong_header.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/wrong_header.csv:1:13: expected a header with the columns metal,stage,country,year,value,unit,source,measure,estimated,note, got an unknown column "nation"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/missing_column.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/missing_column.csv:1:1: expected a column "value" in the header, got "metal,..."
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/missing_header.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/missing_header.csv:1:1: expected a header with the columns metal,stage,country,year,value,unit,source,measure,estimated,note, got an unknown column "W"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/nonnumeric.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/nonnumeric.csv:3:21: value: expected a number, got "3.4k"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/negative.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/negative.csv:2:19: value: expected a non-negative quantity, got "-67000"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/unknown_country.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/unknown_country.csv:3:8: country: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "Atlantis"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/unknown_metal.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/unknown_metal.csv:2:1: metal: expected a metal (element symbol or name, type code such as REE or PGM, or a known alias), got "unobtainium"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/not_rare.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/not_rare.csv:2:1: metal: expected one of Korea's 35 rare-metal types, got "copper" (Copper)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/duplicate.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/duplicate.csv:4:1: expected one row per metal, stage, country and year, got a duplicate of line 2 (production W mine CHN 2024)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/unit_wrong_metal.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/unit_wrong_metal.csv:2:25: unit: expected a unit of W (or a plain mass unit such as t), got "metric tons, cobalt content", a unit of Co (unit mismatch)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/unit_mismatch.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/unit_mismatch.csv:3: unit: expected the same basis as line 2 of this series (contained, "t"), got "thousand metric dry tons" (gross): unit mismatch, one series cannot mix bases
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/invalid_utf8.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/invalid_utf8.csv:3:10: country: expected UTF-8 text, got the byte 0xFF (convert the file to UTF-8)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/binary.csv.gz; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/binary.csv.gz:1:2: expected UTF-8 text, got the byte 0x8B (convert the file to UTF-8)
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/bad_year.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/bad_year.csv:2:14: year: expected a year (1800-2200), got "1700"
  unchanged
  [1]

  $ before=$(dbhash); rmct import generic fixtures/generic/bad_stage.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/bad_stage.csv:2:3: stage: expected a stage (mine or refinery; extraction, processing and smelter are read as those), got "smelting"
  unchanged
  [1]

# Several files in one import are one transaction: a bad second file keeps the good first one out too.
  $ before=$(dbhash); rmct import generic fixtures/generic/good.csv fixtures/generic/negative.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/generic/negative.csv:2:19: value: expected a non-negative quantity, got "-67000"
  unchanged
  [1]

# A missing file and a directory
  $ rmct import generic fixtures/generic/no-such-file.csv
  rmct: cannot open fixtures/generic/no-such-file.csv: No such file or directory
  [1]

  $ rmct import generic fixtures/generic
  rmct: cannot import fixtures/generic: it is a directory
  [1]

# Usage errors exit 2
  $ rmct import generic
  rmct import: expected at least one file after the format "generic" (see 'rmct import --help')
  [2]

  $ rmct import nosuchformat fixtures/generic/good.csv
  rmct import: unknown format "nosuchformat" (see 'rmct import --help')
  [2]

