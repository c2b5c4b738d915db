# The industry survey (docs/SURVEY.md): campaigns imported from CSV, the industry's shape with the
# confidentiality rule applied, exposure, corrections and their history. The campaigns are the
# SYNTHETIC fixtures tests/fixtures/survey/campaign-2023.csv and campaign-2024.csv (fictitious
# companies, every row marked synthetic); every output built from them says so.
  $ rmct survey --help | head -3
  usage: rmct survey SUBCOMMAND [OPTIONS]   ('rmct survey SUBCOMMAND --help' for each)
  
  The industry survey: the registry of rare-metal companies, yearly campaigns, the shape of the

  $ rmct survey import fixtures/survey/campaign-2023.csv --actor analyst-kim
  fixtures/survey/campaign-2023.csv: campaign 2023 imported: 23 companies (23 new to the registry), 43 answers
  data: SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2023.csv)

# Bad files (all of year 2024): the first bad row rejects the file, naming line, column and field;
# nothing is stored, and the database's dump is the same after all twelve.
  $ rmct survey import fixtures/survey/bad_brn.csv --actor t
  rmct: fixtures/survey/bad_brn.csv:3:6: brn: expected a business registration number whose last digit is its check digit (4 after 000810001), got "000-81-00015"
  [1]

  $ rmct survey import fixtures/survey/bad_size.csv --actor t
  rmct: fixtures/survey/bad_size.csv:3:63: size: expected small (3-year average sales of KRW 9.5 bn at most KRW 12 bn, the small-enterprise limit for C24 (size_criteria.csv line 6)), got "medium"
  [1]

  $ rmct survey import fixtures/survey/bad_shares.csv --actor t
  rmct: fixtures/survey/bad_shares.csv:3:141: recycled_pct: expected import_pct + domestic_pct + recycled_pct = 100 (within 0.5), got 85 + 0 + 5 = 90
  [1]

  $ rmct survey import fixtures/survey/bad_origins.csv --actor t
  rmct: fixtures/survey/bad_origins.csv:3:144: origins: expected percentages summing to 100 (within 0.5), got 90 in "CHN:80;FIN:10"
  [1]

  $ rmct survey import fixtures/survey/bad_metal.csv --actor t
  rmct: fixtures/survey/bad_metal.csv:3:113: metal: expected one of Korea's 35 rare-metal types or one of their elements (Dy, REE, tungsten), got "copper"
  [1]

  $ rmct survey import fixtures/survey/bad_stage.csv --actor t
  rmct: fixtures/survey/bad_stage.csv:3:116: stage: expected one of the company's stages (components;products), got "materials"
  [1]

  $ rmct survey import fixtures/survey/bad_company.csv --actor t
  rmct: fixtures/survey/bad_company.csv:3:31: name_en: expected "Fictitious Battery Cells (test)" as on line 2 for company 000-81-00014 (company columns repeat on each of its rows), got "Fictitious Battery Cell (test)"
  [1]

  $ rmct survey import fixtures/survey/bad_duplicate.csv --actor t
  rmct: fixtures/survey/bad_duplicate.csv:3:113: metal: expected one row per company and metal, got Li again for company 000-81-00014 (first on line 2)
  [1]

  $ rmct survey import fixtures/survey/bad_region.csv --actor t
  rmct: fixtures/survey/bad_region.csv:3:75: region: expected a region of data/survey/regions.csv (ISO 3166-2:KR code such as KR-28, or name such as Incheon), got "Atlantis"
  [1]

  $ rmct survey import fixtures/survey/bad_synthetic.csv --actor t
  rmct: fixtures/survey/bad_synthetic.csv:3:221: synthetic: expected 1 as on line 2 (a campaign is synthetic test data or real data as a whole), got 0
  [1]

  $ rmct survey import fixtures/survey/bad_year.csv --actor t
  rmct: fixtures/survey/bad_year.csv:3:1: year: expected 2024 as on line 2 (one campaign per file), got "2025"
  [1]

  $ rmct survey import fixtures/survey/bad_last_row.csv --actor t
  rmct: fixtures/survey/bad_last_row.csv:46:155: inventory_days: expected days of use in stock (a number from 0 to 3650), got "-63"
  [1]

  $ before=$(dbhash); for f in fixtures/survey/bad_*.csv; do rmct survey import $f --actor t 2> /dev/null; done; test "$before" = "$(dbhash)" && echo "database unchanged after 12 bad files"
  database unchanged after 12 bad files

# Then the 2024 campaign, and the same bytes again (nothing is done).
  $ rmct survey import fixtures/survey/campaign-2024.csv --actor analyst-kim
  fixtures/survey/campaign-2024.csv: campaign 2024 imported: 25 companies (4 new to the registry), 44 answers
  data: SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)

  $ rmct survey import fixtures/survey/campaign-2024.csv --actor analyst-kim
  fixtures/survey/campaign-2024.csv: unchanged (already imported as campaign 2024)

  $ rmct survey list --format csv | cut -d, -f1-7
  year,title,questionnaire,synthetic,companies,answers,file
  2023,Rare-metal industry survey 2023,rmct-survey-1,yes,23,43,campaign-2023.csv
  2024,Rare-metal industry survey 2024,rmct-survey-1,yes,25,44,campaign-2024.csv

  $ sqlite3 rmct.db "DELETE FROM survey_campaign WHERE year = 2023" 2>&1 | head -1; sqlite3 rmct.db "SELECT count(*) FROM survey_campaign"
  Error: stepping, survey: campaigns cannot be deleted (the survey history is append-only) (19)
  2

# The published report (public view). Checked by hand against campaign-2024.csv with an independent
# script: 25 companies, 16 small (64%) and 5 medium (3 in 2023: D1 was small then, D5 is new); large
# and mid-sized have 2 each, withheld (x) and together 4, so the total protects neither. Cobalt: 7
# users, 674.22 t, 85.6% imported, 14.4% recycled, 49 days of stock (use-weighted), the top 3 96.9%;
# nickel 2,356.52 t, 23.9% domestic; Co from China 389.4 t from 5 companies, 67.5% of cobalt imports.
# Withheld by the rule: lithium (one user 93%), manganese (one user), tantalum's stock (one 90%),
# Co from the DR Congo (one company) and, to protect it, Finland (c); Nd's domestic share (2
# companies) and with it the imported share (c), since the three shares add up to 100.
  $ rmct survey stats --view public
  Rare-metal industry survey 2024: the industry's shape (view: public)
  Confidentiality: 151 cells withheld by the rule, 6 more to protect them; audit: 154 company figures checked by 308 linear programmes, 0 could be bounded within +-15%.
  
  Companies by size class, 2024 (previous campaign 2023)
  size                                        companies  % of companies  previous campaign  change  withheld
  ---------  -------------------------------  ---------  --------------  -----------------  ------  ----------------------------------------------------
  large      Large enterprise (대기업)                x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  mid-sized  Mid-sized enterprise (중견기업)          x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  medium     Medium enterprise (중기업)               5            20.0                  3       2  
  small      Small enterprise (소기업)               16            64.0                 16       0  
  total      All companies                           25           100.0                 23       2  
  Size classes of the Framework Act on SMEs and the Special Act on Middle-Standing Enterprises (data/survey/size_criteria.csv); share of the companies that answered.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Companies by value-chain stage, 2024 (previous campaign 2023)
  stage                                                                   companies  % of companies  previous campaign  change  withheld
  ----------  ----------------------------------------------------------  ---------  --------------  -----------------  ------  ----------------------------------------------------
  resource    Resource (mining and ores) (자원)                                   0             0.0                  0       0  
  materials   Materials (refining and processing) (소재)                         12            48.0                 12       0  
  components  Components (parts) (부품)                                          10            40.0                 10       0  
  products    Products (finished goods) (제품)                                    5            20.0                  3       2  
  recycling   Recycling (recovery from scrap and end-of-life) (재자원화)          x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  A company working at several stages counts in each (rows do not add up).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Companies by sector served, 2024 (previous campaign 2023)
  sector                                                                companies  % of companies  previous campaign  change  withheld
  -------------------  -----------------------------------------------  ---------  --------------  -----------------  ------  ----------------------------------------------------
  ev_motors            EV and motors (전기차·모터)                              6            24.0                  6       0  
  semis_displays       Semiconductors and displays (반도체·디스플레이)          7            28.0                  7       0  
  batteries            Secondary batteries (이차전지)                           7            28.0                  7       0  
  wind_energy          Wind and renewable energy (풍력·신재생에너지)            x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  steel_alloys         Steel and special alloys (철강·특수합금)                 x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  machinery_tools      Machinery and cutting tools (기계·공구)                  4            16.0                  3       1  
  chemicals_catalysts  Chemicals and catalysts (화학·촉매)                      x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  electronics          Electronic parts and devices (전자부품·기기)             6            24.0                  5       1  
  aerospace_defence    Aerospace and defence (항공·방산)                        x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  other                Other (기타)                                             0             0.0                  0       0  
  A company serving several sectors counts in each (rows do not add up).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Companies by region (main plant), 2024 (previous campaign 2023)
  region                         companies  % of companies  previous campaign  change  withheld
  ------  ---------------------  ---------  --------------  -----------------  ------  ----------------------------------------------------
  KR-11   Seoul (서울특별시)             x               x                  0       x  companies:x; share_pct:x; change:x
  KR-26   Busan (부산광역시)             x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  KR-28   Incheon (인천광역시)           4            16.0                  4       0  
  KR-31   Ulsan (울산광역시)             x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  KR-41   Gyeonggi (경기도)              6            24.0                  5       1  
  KR-43   Chungbuk (충청북도)            x               x                  3       x  companies:x; share_pct:x; change:x
  KR-44   Chungnam (충청남도)            4            16.0                  3       1  
  KR-47   Gyeongbuk (경상북도)           x               x                  3       x  companies:x; share_pct:x; change:x
  KR-48   Gyeongnam (경상남도)           x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  KR-49   Jeju (제주특별자치도)          x               x                  x       x  companies:x; share_pct:x; companies_prev:x; change:x
  total   All companies                 25           100.0                 23       2  
  ISO 3166-2:KR regions; each company counts once.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Companies and volumes by metal, 2024 (previous campaign 2023)
  metal                     companies  previous campaign  change  used t/yr  produced t/yr  imported %  domestic %  recycled %  stock days  withheld
  -----  -----------------  ---------  -----------------  ------  ---------  -------------  ----------  ----------  ----------  ----------  -----------------------------------------------------------------------------------------------------------------------------------
  Li     Li (Lithium)               4                  4       0          x              x           x           x           x           x  consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x
  Co     Co (Cobalt)                7                  7       0      674.2              x        85.6         0.0        14.4          49  produced_t:x
  Ni     Ni (Nickel)                4                  4       0    2,356.5            0.0        76.1        23.9         0.0          42  
  Dy     Dy (Dysprosium)            3                  3       0       42.0              x           x           x         0.0          65  produced_t:x; import_pct:x; domestic_pct:x
  Nd     Nd (Neodymium)             5                  6      -1      532.3              x           c           x         0.0          61  produced_t:x; import_pct:c; domestic_pct:x
  Mn     Mn (Manganese)             x                  x       x          x              x           x           x           x           x  companies:x; companies_prev:x; change:x; consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x
  In     In (Indium)                3                  4      -1       17.0              x           c           x         0.0          63  produced_t:x; import_pct:c; domestic_pct:x
  Ta     Ta (Tantalum)              3                  3       0       26.1              x       100.0         0.0         0.0           x  produced_t:x; inventory_days:x
  W      W (Tungsten)               5                  4       1      266.6              x        80.6           x           x          77  produced_t:x; domestic_pct:x; recycled_pct:x
  Pr     Pr (Praseodymium)          x                  x       x          x              x           x           x           x           x  companies:x; companies_prev:x; change:x; consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x
  Tb     Tb (Terbium)               3                  x       x        2.5              x       100.0         0.0         0.0           x  companies_prev:x; change:x; produced_t:x; inventory_days:x
  Ga     Ga (Gallium)               x                  x       x          x              x           x           x           x           x  companies:x; companies_prev:x; change:x; consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x
  Sb     Sb (Antimony)              x                  x       x          x              x           x           x           x           x  companies:x; companies_prev:x; change:x; consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x
  Tonnes of contained element a year; supply shares of the tonnes used; stock in days of use (weighted by use).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Localisation by value-chain stage in the focus chains, 2024 (previous campaign 2023)
  localisation                                                                                             companies  supply t/yr  imported %  domestic % (localisation)  recycled %  withheld
  -----------------------------  ------------------------------------------------------------------------  ---------  -----------  ----------  -------------------------  ----------  ---------------------------------------------------------------------
  ree-magnets:materials          ree-magnets: Materials (refining and processing) (ev_motors)                      3            x           x                          x           x  supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  ree-magnets:components         ree-magnets: Components (parts) (ev_motors)                                       3            x           x                          x           x  supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  refractory-targets:materials   refractory-targets: Materials (refining and processing) (semis_displays)          3            x           x                          x           x  supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  refractory-targets:components  refractory-targets: Components (parts) (semis_displays)                           4         15.4           c                          x         0.0  import_pct:c; domestic_pct:x
  battery:materials              battery: Materials (refining and processing) (batteries)                          4            x           x                          x           x  supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  battery:components             battery: Components (parts) (batteries)                                           x            x           x                          x           x  companies:x; supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  battery:recycling              battery: Recycling (recovery from scrap and end-of-life) (batteries)              x            x           x                          x           x  companies:x; supply_t:x; import_pct:x; domestic_pct:x; recycled_pct:x
  Answers of companies serving the chain's sector, for the chain's metals, at each stage: domestic share of the tonnes used (supply bought in Korea).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Concentration of Korean demand in few companies, 2024 (previous campaign 2023)
  concentration                     companies  used t/yr  top 3 companies %  withheld
  -------------  -----------------  ---------  ---------  -----------------  -------------------------------------
  Li             Li (Lithium)               4          x                  x  consumed_t:x; top3_pct:x
  Co             Co (Cobalt)                7      674.2               96.9  
  Ni             Ni (Nickel)                4    2,356.5                  x  top3_pct:x
  Dy             Dy (Dysprosium)            3       42.0                  x  top3_pct:x
  Nd             Nd (Neodymium)             5      532.3                  x  top3_pct:x
  Mn             Mn (Manganese)             x          x                  x  companies:x; consumed_t:x; top3_pct:x
  In             In (Indium)                3       17.0                  x  top3_pct:x
  Ta             Ta (Tantalum)              3       26.1                  x  top3_pct:x
  W              W (Tungsten)               5      266.6                  x  top3_pct:x
  Pr             Pr (Praseodymium)          x          x                  x  companies:x; consumed_t:x; top3_pct:x
  Tb             Tb (Terbium)               3        2.5                  x  top3_pct:x
  Ga             Ga (Gallium)               x          x                  x  companies:x; consumed_t:x; top3_pct:x
  Sb             Sb (Antimony)              x          x                  x  companies:x; consumed_t:x; top3_pct:x
  Share of each metal's use by the 3 largest users; published only when at least 6 companies use it, so that the top 3 and the rest are each an aggregate of 3 or more.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).
  
  Where the imports come from, 2024 (previous campaign 2023)
  origins                                  companies  imported t/yr  % of the metal's imports  withheld
  -------  ------------------------------  ---------  -------------  ------------------------  --------------------------------------
  Li:CHL   Li from CHL (Chile)                     3              x                         x  imported_t:x; share_pct:x
  Li:CHN   Li from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Li:ARG   Li from ARG (Argentina)                 x              x                         x  companies:x; imported_t:x; share_pct:x
  Li:AUS   Li from AUS (Australia)                 x              x                         x  companies:x; imported_t:x; share_pct:x
  Co:CHN   Co from CHN (China)                     5          389.4                      67.5  
  Co:FIN   Co from FIN (Finland)                   3              c                         c  imported_t:c; share_pct:c
  Co:COD   Co from COD (Congo (Kinshasa))          x              x                         x  companies:x; imported_t:x; share_pct:x
  Ni:IDN   Ni from IDN (Indonesia)                 3              c                         c  imported_t:c; share_pct:c
  Ni:AUS   Ni from AUS (Australia)                 x              x                         x  companies:x; imported_t:x; share_pct:x
  Ni:PHL   Ni from PHL (Philippines)               x              x                         x  companies:x; imported_t:x; share_pct:x
  Ni:CAN   Ni from CAN (Canada)                    x              x                         x  companies:x; imported_t:x; share_pct:x
  Dy:CHN   Dy from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Dy:JPN   Dy from JPN (Japan)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Nd:CHN   Nd from CHN (China)                     5          398.5                         c  share_pct:c
  Nd:JPN   Nd from JPN (Japan)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Nd:VNM   Nd from VNM (Vietnam)                   x              x                         x  companies:x; imported_t:x; share_pct:x
  Mn:ZAF   Mn from ZAF (South Africa)              x              x                         x  companies:x; imported_t:x; share_pct:x
  Mn:GAB   Mn from GAB (Gabon)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  In:JPN   In from JPN (Japan)                     3            7.1                         c  share_pct:c
  In:CHN   In from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Ta:RWA   Ta from RWA (Rwanda)                    x              x                         x  companies:x; imported_t:x; share_pct:x
  Ta:BRA   Ta from BRA (Brazil)                    x              x                         x  companies:x; imported_t:x; share_pct:x
  Ta:COD   Ta from COD (Congo (Kinshasa))          x              x                         x  companies:x; imported_t:x; share_pct:x
  Ta:CHN   Ta from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  W:CHN    W from CHN (China)                      4              c                         c  imported_t:c; share_pct:c
  W:VNM    W from VNM (Vietnam)                    x              x                         x  companies:x; imported_t:x; share_pct:x
  Pr:CHN   Pr from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Tb:CHN   Tb from CHN (China)                     3            2.5                     100.0  
  Ga:CHN   Ga from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Ga:JPN   Ga from JPN (Japan)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Sb:CHN   Sb from CHN (China)                     x              x                         x  companies:x; imported_t:x; share_pct:x
  Sb:VNM   Sb from VNM (Vietnam)                   x              x                         x  companies:x; imported_t:x; share_pct:x
  Tonnes imported a year by country of origin, as the companies report them; share of the metal's imports.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

# No public output reveals a company's figure: tests/tools/survey-attack computes the 223 figures of
# the fixture's companies (tonnes used, produced, imported, domestic, recycled, from each country,
# in stock) and looks for each among every published tonnage and every difference of two, in the
# CSV, the JSON and the XLSX workbook. On the analyst's (confidential) output it finds 35: the
# check does find what is there.
  $ rmct survey stats --view public --format csv > pub.csv && rmct survey stats --view public --format json > pub.json && rmct survey stats --view public --format xlsx --output pub.xlsx --svg charts
  wrote pub.xlsx (9 sheets)

  $ $ROOT/tests/tools/survey-attack fixtures/survey/campaign-2024.csv pub.csv pub.json pub.xlsx
  pub.csv: 223 company figures against 22 published tonnages and 29 differences: none revealed
  pub.json: 223 company figures against 22 published tonnages and 29 differences: none revealed
  pub.xlsx: 223 company figures against 22 published tonnages and 29 differences: none revealed

  $ rmct survey stats --view analyst --format csv > an.csv; $ROOT/tests/tools/survey-attack fixtures/survey/campaign-2024.csv an.csv > attack.txt; echo "exit $?"; head -3 attack.txt
  exit 1
  an.csv: 223 company figures against 78 published tonnages and 666 differences: 35 revealed
    metal Dy produced_t = 000-81-00052 Dy's produced
    metal Mn consumed_t = 000-81-00033 Mn's used

# The workbook: an about sheet and one per table, with charts of size, stage and sector; the SVG
# charts render, mark withheld bars and carry the rule and the synthetic-data note; so does every CSV row.
  $ unzip -p pub.xlsx xl/workbook.xml | grep -o '<sheet name="[^"]*"' | cut -d'"' -f2 | tr '\n' ' '; echo; unzip -l pub.xlsx | grep -c 'xl/charts/chart'
  about size stage sector region metal localisation concentration origins 
  3

  $ for f in charts/*.svg; do rsvg-convert $f > /dev/null && echo "$f renders"; done; grep -c 'withheld (x)' charts/size.svg; grep -o 'SYNTHETIC TEST DATA' charts/size.svg | head -1
  charts/sector.svg renders
  charts/size.svg renders
  charts/stage.svg renders
  2
  SYNTHETIC TEST DATA

  $ grep -c 'Confidentiality rule' pub.csv; grep -c 'SYNTHETIC TEST DATA' pub.csv; wc -l < pub.csv
  411
  411
  412

  $ rmct survey stats --view public --table metal --format json | head -40
  [
    {
      "key": "Li",
      "label": "Li (Lithium)",
      "companies": 4,
      "companies_prev": 4,
      "change": 0,
      "consumed_t": null,
      "produced_t": null,
      "import_pct": null,
      "domestic_pct": null,
      "recycled_pct": null,
      "inventory_days": null,
      "withheld": "consumed_t:x; produced_t:x; import_pct:x; domestic_pct:x; recycled_pct:x; inventory_days:x",
      "year": 2024,
      "view": "public",
      "data": "SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)",
      "rule": "Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
    },
    {
      "key": "Co",
      "label": "Co (Cobalt)",
      "companies": 7,
      "companies_prev": 7,
      "change": 0,
      "consumed_t": 674.22,
      "produced_t": null,
      "import_pct": 85.5914983239892,
      "domestic_pct": 0.0,
      "recycled_pct": 14.4085016760108,
      "inventory_days": 48.7338554181128,
      "withheld": "produced_t:x",
      "year": 2024,
      "view": "public",
      "data": "SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)",
      "rule": "Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
    },
    {
      "key": "Ni",
      "label": "Ni (Nickel)",

  $ rmct survey stats --view analyst --table size
  Rare-metal industry survey 2024: the industry's shape (view: analyst)
  Confidentiality: 151 cells withheld by the rule, 6 more to protect them; audit: 154 company figures checked by 308 linear programmes, 0 could be bounded within +-15%.
  
  Companies by size class, 2024 (previous campaign 2023)
  size                                        companies  % of companies  previous campaign  change  withheld
  ---------  -------------------------------  ---------  --------------  -----------------  ------  ----------------------------------------------------
  large      Large enterprise (대기업)              2 x           8.0 x                2 x     0 x  companies:x; share_pct:x; companies_prev:x; change:x
  mid-sized  Mid-sized enterprise (중견기업)        2 x           8.0 x                2 x     0 x  companies:x; share_pct:x; companies_prev:x; change:x
  medium     Medium enterprise (중기업)               5            20.0                  3       2  
  small      Small enterprise (소기업)               16            64.0                 16       0  
  total      All companies                           25           100.0                 23       2  
  Size classes of the Framework Act on SMEs and the Special Act on Middle-Standing Enterprises (data/survey/size_criteria.csv); share of the companies that answered.
  ANALYST VIEW, CONFIDENTIAL: values marked x or c are withheld from published tables (--view public).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

# Views: the public never sees companies; a company sees only itself; analysts see all.
  $ rmct survey list --year 2024 --view public
  rmct: --view public: the companies that answered are confidential; the public view lists campaigns only ('rmct survey list') and their statistics ('rmct survey stats')
  [1]

  $ rmct survey list --year 2024 --view company:000-81-00052 --format csv
  brn,name_en,name_ko,size,ksic,region,stages,sectors,metals,version,data
  000-81-00052,Fictitious Magnet Alloys (test),가상자석합금(시험용),medium,C24,KR-41,materials,ev_motors;wind_energy,4,1,synthetic (fictitious company)

  $ rmct survey show 000-81-00052 --view company:000-81-00014
  rmct: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00052"
  [1]

  $ rmct survey show 000-81-00052
  Fictitious Magnet Alloys (test) (가상자석합금(시험용)), 000-81-00052: answers to the 2024 campaign
  metal  stage      used t/yr  produced t/yr  imported %  domestic %  recycled %  origins (% of imports)  stock days  difficulties                           substitutes considered  difficulties (text)  version
  -----  ---------  ---------  -------------  ----------  ----------  ----------  ----------------------  ----------  -------------------------------------  ----------------------  -------------------  -------
  Dy     materials       7.86           7.15       100.0         0.0         0.0  CHN:100                         49  export_controls                                                                           1
  Nd     materials      96.35          88.14       100.0         0.0         0.0  CHN:70;VNM:30                   57  export_controls;customer_requirements                                                     1
  Pr     materials      24.82          22.67       100.0         0.0         0.0  CHN:100                         57  export_controls                                                                           1
  Tb     materials       1.92           1.74       100.0         0.0         0.0  CHN:100                         49  export_controls                                                                           1
  size: medium (3-year average sales of KRW 45.2 bn above KRW 12 bn, the small-enterprise limit for C24 (size_criteria.csv line 6))
  main business (KSIC) C24; 3-year average sales KRW 45.2 bn; total assets not given; restricted business group: no
  region KR-41; stages materials; sectors ev_motors;wind_energy; profile version 1 (import, by analyst-kim; 'rmct survey history' gives when)
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  CONFIDENTIAL: one company's answers (view analyst); never published.

# Exposure, the company's own view: its 4 metals. Checked: Dy and Tb all from China give its
# sourcing term 1 x WGI(CHN) 5.6 and a score just above the national one (whose Korean sourcing is
# also mostly China); Nd 70/30 China/Vietnam scores below it. The summary by size class is public.
  $ rmct survey exposure --view company:000-81-00052
  Exposure of the companies of campaign 2024 (view: company:000-81-00052; method eu2017-kr, supply data of 2025)
  registration no.  company                          size    metal  used t/yr  imported %  domestic %  recycled %  national SR  exposure score  x national  what drives its sourcing risk                                   hit by (! stock runs out)
  ----------------  -------------------------------  ------  -----  ---------  ----------  ----------  ----------  -----------  --------------  ----------  --------------------------------------------------------------  --------------------------------------------------
  000-81-00052      Fictitious Magnet Alloys (test)  medium  Dy          7.86       100.0         0.0         0.0         5.52            5.57        1.01  CHN 100% of its primary supply, WGI 5.6: 100% of its HHI_WGI,t  cn-heavy-ree-magnets-2025 !, ree-china-halves-6m !
  000-81-00052      Fictitious Magnet Alloys (test)  medium  Tb          1.92       100.0         0.0         0.0         5.13            5.18        1.01  CHN 100% of its primary supply, WGI 5.6: 100% of its HHI_WGI,t  cn-heavy-ree-magnets-2025 !, ree-china-halves-6m !
  000-81-00052      Fictitious Magnet Alloys (test)  medium  Pr         24.82       100.0         0.0         0.0         3.99            4.77        1.20  CHN 100% of its primary supply, WGI 5.6: 100% of its HHI_WGI,t  ree-china-halves-6m !
  000-81-00052      Fictitious Magnet Alloys (test)  medium  Nd         96.35       100.0         0.0         0.0         4.03            3.65        0.91  CHN 70% of its primary supply, WGI 5.6: 84% of its HHI_WGI,t    ree-china-halves-6m !
  exposure score = the company's supply risk of the metal: the EU formula with its own sourcing (imports by country, purchases in Korea) in Korea's place and its recycled share as EoL-RIR (docs/SURVEY.md). At or above 1.0: as risky as a critical metal's supply.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  CONFIDENTIAL: company-level results (view company:000-81-00052); never published.
  
  Companies exposed by size class, campaign 2024
  size                                        companies using the metals  with a metal at or above the SR threshold  % of them  withheld
  ---------  -------------------------------  --------------------------  -----------------------------------------  ---------  -------------------------------------
  large      Large enterprise (대기업)                                 x                                          x          x  companies:x; exposed:x; exposed_pct:x
  mid-sized  Mid-sized enterprise (중견기업)                           x                                          x          x  companies:x; exposed:x; exposed_pct:x
  medium     Medium enterprise (중기업)                                5                                          4       80.0  
  small      Small enterprise (소기업)                                16                                         16      100.0  
  total      All companies                                            25                                         24       96.0  
  Companies with at least one metal whose exposure score (the company's supply risk) is at or above the method's SR threshold of 1.0 (eu2017-kr).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

  $ rmct survey exposure --view public
  Companies exposed by size class, campaign 2024
  size                                        companies using the metals  with a metal at or above the SR threshold  % of them  withheld
  ---------  -------------------------------  --------------------------  -----------------------------------------  ---------  -------------------------------------
  large      Large enterprise (대기업)                                 x                                          x          x  companies:x; exposed:x; exposed_pct:x
  mid-sized  Mid-sized enterprise (중견기업)                           x                                          x          x  companies:x; exposed:x; exposed_pct:x
  medium     Medium enterprise (중기업)                                5                                          4       80.0  
  small      Small enterprise (소기업)                                16                                         16      100.0  
  total      All companies                                            25                                         24       96.0  
  Companies with at least one metal whose exposure score (the company's supply risk) is at or above the method's SR threshold of 1.0 (eu2017-kr).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

# Who China's 2025 heavy rare-earth licensing hits. Checked by hand: Fictitious Magnet Alloys' Dy,
# 7.86 t a year (0.655 t a month) all from China, 49 days of stock (1.05518 t): April and May 2025
# cut 80% (stock 0.53118, then 0.00718 t), from June 30% for 12 months (0.1965 t a month lost): its
# stock runs out in 2025-06, 12 months short, 0.18932 + 11 x 0.1965 = 2.35 t not served. The motor
# maker imports 95%, 90% of it from China: 0.9 x 80% = 72% of its imports cut.
  $ rmct survey exposure --scenario cn-heavy-ree-magnets-2025 --view analyst
  Scenario cn-heavy-ree-magnets-2025, 2025-01 to 2028-06 (42 months); companies of the 2024 campaign
  
  China's export licensing of seven medium and heavy rare earths (Sm, Gd, Tb, Dy, Lu, Sc, Y) and Sm-Co magnet materials (4 Apr 2025): who is hit, campaign 2024 (view: analyst)
  registration no.  company                            size    metal  used t/yr  stock days  imported %  domestic %  imports cut, max %  Korean market short, max %  its supply lost, max %  first hit  stock runs out  months short  use not served t
  ----------------  ---------------------------------  ------  -----  ---------  ----------  ----------  ----------  ------------------  --------------------------  ----------------------  ---------  --------------  ------------  ----------------
  000-81-00028      Fictitious Motor Works (test)      large   Dy         31.74          71        95.0         5.0                72.0                        10.5                    68.9  2025-04    2025-09                    9              5.60
  000-81-00052      Fictitious Magnet Alloys (test)    medium  Dy          7.86          49       100.0         0.0                80.0                        10.5                    80.0  2025-04    2025-06                   12              2.35
  000-81-00052      Fictitious Magnet Alloys (test)    medium  Tb          1.92          49       100.0         0.0                80.0                        10.5                    80.0  2025-04    2025-06                   12              0.57
  000-81-00066      Fictitious Motor Parts (test)      medium  Dy          2.41          33         0.0       100.0                 0.0                        10.5                    10.5  2025-05    no                         0              0.00
  000-81-00111      Fictitious Bonded Magnets (test)   small   Tb          0.13          22       100.0         0.0                80.0                        10.5                    80.0  2025-04    2025-04                   14              0.05
  000-81-00256      Fictitious Terbium Trading (test)  small   Tb          0.48          12       100.0         0.0                80.0                        10.5                    80.0  2025-04    2025-04                   14              0.19
  38 other company-metal pairs are not hit (--all lists them).
  Its imports fall by the scenario's export restrictions on each origin (central values), its purchases in Korea as the Korean market is short in the scenario's trace, its recycled supply not at all; its own stock covers the gap until it runs out (docs/SURVEY.md, Exposure).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  CONFIDENTIAL: company-level results (view analyst); never published.
  
  China's export licensing of seven medium and heavy rare earths (Sm, Gd, Tb, Dy, Lu, Sc, Y) and Sm-Co magnet materials (4 Apr 2025): Companies hit by the scenario, by size class, campaign 2024
  size                                        companies using the metals  affected  stock runs out  withheld
  ---------  -------------------------------  --------------------------  --------  --------------  -----------------------------------
  large      Large enterprise (대기업)                               2 x       1 x             1 x  companies:x; affected:x; stockout:x
  mid-sized  Mid-sized enterprise (중견기업)                         2 x         0               0  companies:x
  medium     Medium enterprise (중기업)                                5       2 x             1 x  affected:x; stockout:x
  small      Small enterprise (소기업)                                16       2 x             2 x  affected:x; stockout:x
  total      All companies                                            25         5               4  
  Companies of the 2024 campaign whose supply of some metal the scenario cuts, and those whose own stock of it runs out within the 42 months simulated.
  ANALYST VIEW, CONFIDENTIAL: values marked x or c are withheld from published tables (--view public).
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

  $ rmct survey exposure --scenario cn-heavy-ree-magnets-2025 --view public --format csv
  key,label,companies,affected,stockout,withheld,year,view,data,rule
  large,Large enterprise (대기업),,,,companies:x; affected:x; stockout:x,2024,public,"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)","Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
  mid-sized,Mid-sized enterprise (중견기업),,0,0,companies:x,2024,public,"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)","Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
  medium,Medium enterprise (중기업),5,,,affected:x; stockout:x,2024,public,"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)","Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
  small,Small enterprise (소기업),16,,,affected:x; stockout:x,2024,public,"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)","Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."
  total,All companies,25,5,4,,2024,public,"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)","Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%)."

# Corrections: a new version, checked as an imported row; the history keeps every version.
  $ rmct survey correct 000-81-00052 --year 2024 --metal Dy --consumed-t 8.4 --origins 'CHN:90;JPN:10' --reason 'company corrected its Dy use' --actor analyst-kim
  company 000-81-00052, campaign 2024: answer for Dy corrected as version 2 (company corrected its Dy use, by analyst-kim)

  $ rmct survey correct 000-81-00052 --year 2024 --metal Dy --import-pct 90 --reason x --actor analyst-kim
  rmct: --recycled-pct: expected import_pct + domestic_pct + recycled_pct = 100 (within 0.5), got 90 + 0 + 0 = 90
  [1]

  $ rmct survey correct 000-81-00052 --year 2024 --size small --reason x --actor analyst-kim
  rmct: --size: expected medium (3-year average sales of KRW 45.2 bn above KRW 12 bn, the small-enterprise limit for C24 (size_criteria.csv line 6)), got "small"
  [1]

  $ rmct survey correct 000-81-00052 --year 2024 --metal Dy --withdraw --reason x --view public
  rmct survey correct: --view: expected analyst or the company's own view (company:BRN) to change answers, got public (see 'rmct survey correct --help')
  [2]

  $ rmct survey correct 000-81-00052 --year 2024 --metal Dy --consumed-t 9 --reason x --view company:000-81-00014 --actor someone
  rmct: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00052"
  [1]

  $ rmct survey correct 000-81-00052 --year 2024 --metal Sm --stage materials --consumed-t 0.75 --produced-t 0 --import-pct 100 --domestic-pct 0 --recycled-pct 0 --origins CHN:100 --inventory-days 30 --reason 'new answer' --view company:000-81-00052 --actor magnet-alloys
  company 000-81-00052, campaign 2024: answer for Sm entered as version 1 (new answer, by magnet-alloys)

  $ rmct survey correct 000-81-00052 --year 2024 --metal Sm --withdraw --reason 'entered by mistake' --view company:000-81-00052 --actor magnet-alloys
  company 000-81-00052, campaign 2024: answer for Sm withdrawn as version 2 (entered by mistake, by magnet-alloys)

  $ rmct survey history 000-81-00052 --year 2024 --format csv | cut -d, -f2-
  actor,year,kind,metal,version,changes,reason,source
  analyst-kim,2024,profile,,1,first version,import,campaign-2024.csv line 14
  analyst-kim,2024,answer,Nd,1,first version,import,campaign-2024.csv line 14
  analyst-kim,2024,answer,Pr,1,first version,import,campaign-2024.csv line 15
  analyst-kim,2024,answer,Dy,1,first version,import,campaign-2024.csv line 16
  analyst-kim,2024,answer,Tb,1,first version,import,campaign-2024.csv line 17
  analyst-kim,2024,answer,Dy,2,consumed_t 7.86 -> 8.4; origins CHN:100 -> CHN:90;JPN:10,company corrected its Dy use,correction
  magnet-alloys,2024,answer,Sm,1,first version,new answer,correction
  magnet-alloys,2024,answer,Sm,2,withdrawn,entered by mistake,correction

  $ sqlite3 rmct.db "UPDATE survey_answer SET consumed_t = 1 WHERE metal = 'Dy'" 2>&1; sqlite3 rmct.db "SELECT actor, action, count(*) FROM survey_audit WHERE actor <> 'analyst-kim' OR action = 'answer' GROUP BY 1, 2"
  Error: stepping, survey: answers cannot be changed (a correction is a new version) (19)
  analyst-kim|answer|88
  magnet-alloys|answer|2

