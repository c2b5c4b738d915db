# The event register: data/export_controls.csv as loaded by 'rmct init', and 'rmct events'.
# Every figure below was checked by hand against data/export_controls.csv (48 rows); the comment
# above each test says what.

# Loaded by init as one source: 48 events, all referencing it; its SHA-256 is that of the file.
  $ sqlite3 rmct.db "SELECT s.dataset, s.edition, s.rows, count(e.id), s.sha256 = '$(sha256sum data/export_controls.csv | cut -c1-64)' FROM source s JOIN event e ON e.source_id = s.id WHERE s.file_name = 'export_controls.csv'"
  export-controls|2026|48|48|1

# Metal links: 113 symbols in element_symbols over the 47 rows that have any (EC-CHN-011, graphite
# only, has none); REE appears as the whole type (element NULL) 20 times; targets: 8 rows (CHN 4,
# USA 3, JPN 1).
  $ sqlite3 rmct.db "SELECT count(*), sum(element IS NULL), count(DISTINCT event) FROM event_element; SELECT country, count(*) FROM event_target GROUP BY country ORDER BY 2 DESC, 1"
  113|20|47
  CHN|4
  USA|3
  JPN|1

# Importing the same file again changes nothing.
  $ before=$(dbhash); rmct import events data/export_controls.csv --format csv | cut -d, -f3,4; [ "$(dbhash)" = "$before" ] && echo unchanged
  status,rows
  unchanged,48
  unchanged

# Events per country, as SOURCES.md states them: China 25, Myanmar 7, DR Congo 5, Indonesia 3,
# Zimbabwe 3, one each for Gabon, Malaysia, Namibia, Russia, South Africa.
  $ rmct events --format csv | tail -n +2 | cut -d, -f2 | sort | uniq -c | sort -k1,1nr -k2,2
       25 CHN
        7 MMR
        5 COD
        3 IDN
        3 ZWE
        1 GAB
        1 MYS
        1 NAM
        1 RUS
        1 ZAF

  $ rmct events | grep '^48 events'
  48 events: CHN 25, MMR 7, COD 5, IDN 3, ZWE 3, GAB 1, MYS 1, NAM 1, RUS 1, ZAF 1.

# Measure types: licensing 11, other 10, ban 9, quota 6, suspension 5, conflict_disruption 4,
# tax 2, technology_ban 1 (48).
  $ for t in licensing other ban quota suspension conflict_disruption tax technology_ban; do printf '%s %s\n' $t $(rmct events --type $t --format csv | tail -n +2 | wc -l); done
  licensing 11
  other 10
  ban 9
  quota 6
  suspension 5
  conflict_disruption 4
  tax 2
  technology_ban 1

# The Ga/Ge licensing of 2023 (EC-CHN-010, line 11 of the file): announced 2023-07-03 (MOFCOM/GAC
# No. 23), effective 2023-08-01, no end, no target, primary; four sources. It is the only Ga event
# dated 2023. The table fits 120 columns (the URLs excepted: they are not broken).
  $ rmct events --metal Ga --since 2023 --until 2023 | sed 's/imported 20[0-9T:-]*Z/imported DATE/'
  Events naming Gallium (Ga):
  event       iso3  measure    metals  effective   ended  src  description
  ----------  ----  ---------  ------  ----------  -----  ---  ----------------------------------------------------------
  EC-CHN-010  CHN   licensing  Ga Ge   2023-08-01         [1]  MOFCOM/GAC Announcement No. 23 of 2023: 8 gallium and 6...
  
  1 event: CHN 1.
  Dates as the register gives them (YYYY-MM: the source gives only the month); descriptions are cut
  to fit: --format csv or json gives every field in full.
  
  Sources:
    [1] MOFCOM/GAC Announcement No. 23 of 2023 (English reproduction, SZFM Metal); Deloitte China, 'China imposes export
        controls on gallium and germanium related items' (19 Jul 2023); Global Times (6 Jul 2023); Fastmarkets/Metal
        Bulletin (21 Sep 2023)
        http://szfmmetal.com/index.php?c=News&a=view&aid=538&lang=en
        https://www.deloitte.com/cn/en/pages/tax/articles/china-export-controls-on-gallium-and-germanium-related-items.html
        https://www.globaltimes.cn/page/202307/1293847.shtml
        https://xml.metalbulletin.com/Article/5153193/Cadmium/China-approves-first-licenses-for-gallium-germanium-shipments-since-export-controls-were-introduced.html
    File: export_controls.csv (export-controls edition 2026, SHA-256 4c6a930e8902..., imported DATE)

  $ rmct events | awk 'length($0) > 120 && $1 !~ /^https?:/' | wc -l
  0

# JSON: one object per event with arrays for metals, HS codes (33 given for EC-CHN-010), targets and
# source URLs; missing dates are null.
  $ rmct events --metal germanium --since 2023-07 --until 2023-08-01 --format json | jq -c '.[] | {event_id, country, measure_type, restricts, metals: [.metals[].symbol], hs: (.hs_codes | length), first_hs: .hs_codes[0], announced, effective, ended, date, target_countries, confidence, urls: (.source.urls | length), file: .source.file, line: .source.line}'
  {"event_id":"EC-CHN-010","country":"CHN","measure_type":"licensing","restricts":true,"metals":["Ga","Ge"],"hs":33,"first_hs":"8112929010","announced":"2023-07-03","effective":"2023-08-01","ended":null,"date":"2023-08-01","target_countries":[],"confidence":"primary","urls":4,"file":"export_controls.csv","line":11}

  $ rmct events --format json | jq -r 'length, (.[0] | keys_unsorted | join(",")), (.[0].source | keys_unsorted | join(",")), (.[0].metals[0] | keys_unsorted | join(","))'
  48
  event_id,country,country_name,measure_type,restricts,materials,metals,hs_codes,announced,effective,ended,date,target_countries,description,confidence,source
  citation,urls,file,line,dataset,edition,sha256
  symbol,element,type

# REE: the 23 rows naming REE or a rare-earth element (20 name REE as a whole; EC-CHN-016 and 021
# name Sm, Gd, Tb, Dy, Lu, Sc, Y..., EC-CHN-019 names Ho, Er, Tm, Eu, Yb), ordered by date.
  $ rmct events --metal REE --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '; echo
  EC-CHN-007 EC-CHN-001 EC-CHN-009 EC-CHN-002 EC-CHN-004 EC-CHN-005 EC-CHN-006 EC-MMR-001 EC-MMR-002 EC-NAM-001 EC-CHN-012 EC-MYS-001 EC-MMR-004 EC-MMR-005 EC-MMR-006 EC-CHN-016 EC-MMR-007 EC-CHN-021 EC-CHN-022 EC-CHN-025 EC-CHN-023 EC-CHN-018 EC-CHN-019 

# Dy belongs to REE: the 20 rows naming REE as a whole, plus EC-CHN-016 and EC-CHN-021 which name
# Dy; not EC-CHN-019 (Ho, Er, Tm, Eu, Yb). 'rare earths' and 'dysprosium' resolve like REE and Dy.
  $ rmct events --metal Dy --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '; echo
  EC-CHN-007 EC-CHN-001 EC-CHN-009 EC-CHN-002 EC-CHN-004 EC-CHN-005 EC-CHN-006 EC-MMR-001 EC-MMR-002 EC-NAM-001 EC-CHN-012 EC-MYS-001 EC-MMR-004 EC-MMR-005 EC-MMR-006 EC-CHN-016 EC-MMR-007 EC-CHN-021 EC-CHN-022 EC-CHN-025 EC-CHN-023 EC-CHN-018 

  $ rmct events --metal dysprosium | head -1; rmct events --metal 'rare earths' | head -1; rmct events --metal 'rare earths' --format csv | tail -n +2 | wc -l
  Events naming Dysprosium (Dy) or its type REE as a whole:
  Events naming Rare earth elements (REE) or any of its elements:
  23

# Graphite has no symbol: matched in the materials text (EC-CHN-011, 014, 020, 023, 024, 025 and
# Namibia's EC-NAM-001).
  $ rmct events --metal graphite | head -10
  Events whose materials mention "graphite" (not an element or a rare-metal type):
  event       iso3  measure    metals          effective    ended       src  description
  ----------  ----  ---------  --------------  -----------  ----------  ---  ---------------------------------------------
  EC-NAM-001  NAM   ban        Li Co Mn REE    2023-06-08*              [1]  Cabinet approves prohibition on exporting...
  EC-CHN-011  CHN   licensing  high-purity...  2023-12-01               [2]  MOFCOM/GAC Announcement No. 39 of 2023: li...
  EC-CHN-014  CHN   ban        Ga Ge Sb        2024-12-03   2025-11-09  [3]  (to USA) MOFCOM Announcement No. 46 of 202...
  EC-CHN-025  CHN   other      REE Ga Ge Sb    2025-11-01*              [4]  (to USA) White House fact sheet after the...
  EC-CHN-023  CHN   other      REE Ho Er T...  2025-11-07   2026-11-10  [5]  MOFCOM/GAC Announcement No. 70 of 2025 sus...
  EC-CHN-020  CHN   licensing  Li Ni Co Mn     2025-11-08   2025-11-07  [6]  MOFCOM/GAC Announcement No. 58 of 2025: li...
  EC-CHN-024  CHN   other      Ga Ge Sb        2025-11-09   2026-11-27  [7]  (to USA) MOFCOM suspends clause 2 of Annou...

# In force: China's rare-earth measures during November 2025: EC-CHN-006 (2015 abolition, open),
# 012 (Dec 2023), 016 (Apr 2025), 021 and 022 (9 Oct to 7 Nov), 023 (7 Nov 2025 to 10 Nov 2026);
# not 018/019 (due 8 Nov, suspended 7 Nov: never in force) nor 025 (no effective date).
  $ rmct events --country China --metal REE --active 2025-11 | head -10 | cut -c1-60 | sed 's/ *$//'
  Events naming Rare earth elements (REE) or any of its elemen
  In force at some time during 2025-11:
  event       iso3  measure         metals          effective
  ----------  ----  --------------  --------------  ----------
  EC-CHN-006  CHN   other           REE W Mo        2015-01-01
  EC-CHN-012  CHN   technology_ban  REE Sm Nd Ce    2023-12-21
  EC-CHN-016  CHN   licensing       Sm Gd Tb Dy...  2025-04-04
  EC-CHN-021  CHN   licensing       Sm Gd Tb Dy...  2025-10-09
  EC-CHN-022  CHN   licensing       REE             2025-10-09
  EC-CHN-023  CHN   other           REE Ho Er T...  2025-11-07

# DR Congo's cobalt: suspended from 22 Feb 2025, extended 21 Jun and 21 Sep, quotas from 16 Oct.
  $ rmct events --country 'Congo (Kinshasa)' --metal cobalt --format csv | tail -n +2 | cut -d, -f1,4
  EC-COD-001,suspension
  EC-COD-002,suspension
  EC-COD-003,suspension
  EC-COD-004,quota

# Dated since 2025-10 (effective, else announced, else end date): 12 rows, the latest Gabon's ban
# effective 2029-01-01 (announced 30 May 2025).
  $ rmct events --since 2025-10 --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '; echo
  EC-CHN-021 EC-CHN-022 EC-COD-004 EC-CHN-025 EC-CHN-023 EC-CHN-018 EC-CHN-019 EC-CHN-020 EC-CHN-024 EC-ZWE-003 EC-ZWE-002 EC-GAB-001 

# Bad option values: usage errors (exit 2) naming the option.
  $ rmct events --type export_duty
  rmct events: --type: expected one of quota, tax, ban, licensing, technology_ban, suspension, conflict_disruption, other, got "export_duty" (see 'rmct events --help')
  [2]

  $ rmct events --since 2023-13
  rmct events: --since: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got "2023-13" (see 'rmct events --help')
  [2]

  $ rmct events --active 2025-02-29
  rmct events: --active: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got "2025-02-29" (see 'rmct events --help')
  [2]

  $ rmct events --country Atlantis
  rmct events: --country: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "Atlantis" (see 'rmct events --help')
  [2]

  $ rmct events --metal unobtainium
  rmct events: --metal: expected a metal (element symbol or name, type code such as REE or PGM, or a known alias) or a material the register names without a symbol (graphite), got "unobtainium" (see 'rmct events --help')
  [2]

  $ rmct events --metal
  rmct events: --metal: expected a value (see 'rmct events --help')
  [2]

  $ rmct events --year 2024
  rmct events: unknown option "--year" (see 'rmct events --help')
  [2]

  $ rmct events China
  rmct events: unexpected argument "China" (see 'rmct events --help')
  [2]

  $ rmct events --format xml
  rmct: --format: expected table, csv or json, got "xml"
  [2]

# No match is not an error.
  $ rmct events --country Japan; rmct events --country Japan --format json
  No event in the register matches.
  []

  $ rmct events --help | head -2
  usage: rmct events [--country C] [--metal M] [--type T] [--since DATE] [--until DATE]
                     [--active DATE] [--format table|csv|json]

# Bad rows: file, line, column and field; the database is unchanged. Checked by hand: line 4 of
# each fixture is the bad row (lines 2-3 are good), columns counted in the files.
  $ before=$(dbhash); rmct import events fixtures/events/bad_date.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/bad_date.csv:4:55: effective: expected a date YYYY-MM-DD or YYYY-MM, got "2023-02-30"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/month_only_bad.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/month_only_bad.csv:4:52: effective: expected a date YYYY-MM-DD or YYYY-MM, got "2022-13"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/no_dates.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/no_dates.csv:4:44: announced: expected at least one of announced, effective and ended, got none
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/unknown_country.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/unknown_country.csv:4:20: country_iso3: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "XYZ"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/country_mismatch.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/country_mismatch.csv:4:11: country: expected the country of country_iso3 (ZWE), got "Myanmar" (MMR)
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/unknown_symbol.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/unknown_symbol.csv:4:52: element_symbols: expected element symbols or type codes (REE, PGM) separated by ';', got "Uo"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/bad_type.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/bad_type.csv:4:24: measure_type: expected a measure type (quota, tax, ban, licensing, technology_ban, suspension, conflict_disruption or other), got "embargo"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/bad_hs.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/bad_hs.csv:4:43: hs_codes: expected HS codes of 4 to 10 digits separated by ';', got "25309X"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/bad_target.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/bad_target.csv:4:67: target_countries: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "Atlantis"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/bad_confidence.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/bad_confidence.csv:4:139: confidence: expected primary or secondary, got "high"
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/no_materials.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/no_materials.csv:4:28: materials: expected the materials, got an empty field
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/duplicate_id.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/duplicate_id.csv:4:1: event_id: expected one row per event id, got "T-CHN-001" again (first on line 2)
  unchanged
  [1]

  $ before=$(dbhash); rmct import events fixtures/events/missing_column.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/events/missing_column.csv:1:1: expected a column "confidence" in the header, got "event_id,..."
  unchanged
  [1]

# The same through 'rmct init': a data directory whose export_controls.csv has a bad date (EC-CHN-010,
# line 11, effective '2023-08-32' at column 695: byte 683 of the line starts its announced date).
# Everything is one transaction: the database is unchanged.
  $ mkdir d && for f in data/*; do ln -s "$(readlink -f "$f")" d/; done && rm d/export_controls.csv && sed 's/2023-08-01/2023-08-32/' data/export_controls.csv > d/export_controls.csv
  $ before=$(dbhash); rmct init --data d; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: d/export_controls.csv:11:695: effective: expected a date YYYY-MM-DD or YYYY-MM, got "2023-08-32"
  unchanged
  [1]

# A newer edition of an event replaces the older one in queries: EC-CHN-010 with an end date
# (a test row, edition 2027) is what 'events' shows; the other 47 are unchanged.
  $ printf '%s\n' "$(head -1 data/export_controls.csv)" "$(sed -n 11p data/export_controls.csv | sed 's/2023-08-01,,,/2023-08-01,2030-01-01,,/')" > revised.csv && rmct import events revised.csv --edition 2027 --format csv | cut -d, -f3,4
  status,rows
  imported,1

  $ rmct events --metal Ga --since 2023 --until 2023 --format csv | tail -n +2 | cut -d, -f1 | head -1; rmct events --metal Ga --since 2023 --until 2023 --format json | jq -r '.[0] | .ended, .source.file, .source.edition'; rmct events --format csv | tail -n +2 | wc -l
  EC-CHN-010
  2030-01-01
  revised.csv
  2027
  48
