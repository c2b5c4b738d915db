# The industry survey over HTTP (docs/API.md, "The industry survey"; docs/SURVEY.md): published
# statistics for anyone, with the confidentiality rule applied and stated; a company user's own page
# and nobody else's; entry and correction by the company's own users and by analysts, each a new
# version with its history and a row of the audit log; campaign import by analysts, validated, all
# or nothing, size-limited. The data are the SYNTHETIC test campaigns of tests/fixtures/survey.
# The last part proves that no public answer reveals a single company's figure: the attack of
# tests/tools/survey-attack on the API's public JSON finds none, and on the analyst's finds them.

# Users: an analyst, a viewer, an admin. A company user needs a company of the survey's registry,
# which is empty until a campaign is imported.
  $ RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-1 rmct user add ann --role analyst
  user ann added with the role analyst

  $ RMCT_ACTOR=setup RMCT_PASSWORD=viewer-pass-1 rmct user add vera --role viewer
  user vera added with the role viewer

  $ RMCT_ACTOR=setup RMCT_PASSWORD=admin-pass-01 rmct user add root --role admin
  user root added with the role admin

  $ RMCT_PASSWORD=company-pass-1 rmct user add mia --role company --company 000-81-00052
  rmct: company: expected a company of the survey's registry (one that answered a campaign), got 000-81-00052
  [2]

  $ RMCT_PASSWORD=company-pass-1 rmct user add mia --role company
  rmct user: the company role needs --company BRN (the company's business registration number) (see 'rmct user --help')
  [2]

  $ RMCT_PASSWORD=company-pass-1 rmct user add mia --role viewer --company 000-81-00052
  rmct user: --company goes with the company role only (see 'rmct user --help')
  [2]

  $ RMCT_PASSWORD=company-pass-1 rmct user add mia --role company --company 000-81-00053
  rmct: company: expected a business registration number (123-45-67891: 10 digits, the last its check digit), got 000-81-00053
  [2]

  $ start_server --web fixtures/web --rate 0 --login-rate 0 --max-body 65536
  server up

  $ login ann analyst-pass-1; login vera viewer-pass-1; login root admin-pass-01
  200
  200
  200


# Before any campaign: no campaigns, no statistics; the codebooks are public.
  $ api GET /api/v1/survey/campaigns; jq -c . body.json
  200
  []

  $ api GET /api/v1/survey/stats; err
  404
  not_found -: no survey campaign imported yet (rmct survey import FILE)

  $ api GET /api/v1/survey/codes; jq -r '.questionnaire, (.columns | length), ([.stages[].code] | join(" ")), (.sectors | length), (.regions | length), (.sizes | map(.code) | join(" "))' body.json
  200
  rmct-survey-1
  25
  resource materials components products recycling
  10
  17
  large mid-sized medium small


# Import needs an analyst, the session's CSRF token and a CSV body; the file name is kept.
  $ api POST /api/v1/survey/campaigns --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ as vera POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ api POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv' -b jar.ann; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv' -H 'Origin: http://evil.example'; err
  403
  bad_origin -: a request from another site (Origin http://evil.example) is refused

  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: application/json'; err
  415
  unsupported_media_type -: expected a CSV file as the body (Content-Type: text/csv)

  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2023.csv' -H 'Content-Type: text/csv'; err
  400
  missing_parameter -: expected the campaign CSV as the body

  $ as ann POST '/api/v1/survey/campaigns?file=../campaign.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; err
  400
  bad_parameter file: file: expected a file name of 1 to 64 letters, digits, '.', '_' or '-', not starting with a dot

  $ as ann POST '/api/v1/survey/campaigns?name=x.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; err
  400
  bad_parameter name: name: not a parameter of this endpoint (expected: file)


# A bad row rejects the file, naming its line, column and field (the messages of docs/SURVEY.md,
# "Errors", with the uploaded file's name); nothing is stored.
  $ for f in fixtures/survey/bad_*.csv; do as ann POST "/api/v1/survey/campaigns?file=$(basename $f)" --data-binary @$f -H 'Content-Type: text/csv'; err; done
  422
  bad_input brn: bad_brn.csv:3:6: brn: expected a business registration number whose last digit is its check digit (4 after 000810001), got "000-81-00015"
  422
  bad_input name_en: bad_company.csv:3:31: name_en: expected "Fictitious Battery Cells (test)" as on line 2 for company 000-81-00014 (company columns repeat on each of its rows), got "Fictitious Battery Cell (test)"
  422
  bad_input metal: bad_duplicate.csv:3:113: metal: expected one row per company and metal, got Li again for company 000-81-00014 (first on line 2)
  422
  bad_input inventory_days: bad_last_row.csv:46:155: inventory_days: expected days of use in stock (a number from 0 to 3650), got "-63"
  422
  bad_input metal: bad_metal.csv:3:113: metal: expected one of Korea's 35 rare-metal types or one of their elements (Dy, REE, tungsten), got "copper"
  422
  bad_input origins: bad_origins.csv:3:144: origins: expected percentages summing to 100 (within 0.5), got 90 in "CHN:80;FIN:10"
  422
  bad_input region: bad_region.csv:3:75: region: expected a region of data/survey/regions.csv (ISO 3166-2:KR code such as KR-28, or name such as Incheon), got "Atlantis"
  422
  bad_input recycled_pct: bad_shares.csv:3:141: recycled_pct: expected import_pct + domestic_pct + recycled_pct = 100 (within 0.5), got 85 + 0 + 5 = 90
  422
  bad_input size: bad_size.csv:3:63: size: expected small (3-year average sales of KRW 9.5 bn at most KRW 12 bn, the small-enterprise limit for C24 (size_criteria.csv line 6)), got "medium"
  422
  bad_input stage: bad_stage.csv:3:116: stage: expected one of the company's stages (components;products), got "materials"
  422
  bad_input synthetic: bad_synthetic.csv:3:221: synthetic: expected 1 as on line 2 (a campaign is synthetic test data or real data as a whole), got 0
  422
  bad_input year: bad_year.csv:3:1: year: expected 2024 as on line 2 (one campaign per file), got "2025"

  $ api GET /api/v1/survey/campaigns; jq -c . body.json; sqlite3 rmct.db "SELECT count(*) FROM survey_company; SELECT count(*) FROM source WHERE dataset = 'survey'"
  200
  []
  0
  0


# The upload is limited by --max-body (here 64 KiB): a larger body is refused before it is read.
  $ head -c 70000 /dev/zero | tr '\0' 'x' > big.csv; as ann POST '/api/v1/survey/campaigns?file=big.csv' --data-binary @big.csv -H 'Content-Type: text/csv'; err
  413
  body_too_large -: the body is larger than 65536 bytes


# The two synthetic campaigns; the same bytes again change nothing.
  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; jq -c 'del(.source_id)' body.json; header Location
  201
  {"file":"campaign-2023.csv","year":2023,"unchanged":false,"companies":23,"new_companies":23,"answers":43,"synthetic":true,"data_note":"SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2023.csv)","title":"Rare-metal industry survey 2023"}
  /api/v1/survey/stats?year=2023

  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2023.csv' --data-binary @fixtures/survey/campaign-2023.csv -H 'Content-Type: text/csv'; jq -c '[.year, .unchanged]' body.json
  200
  [2023,true]

  $ as ann POST '/api/v1/survey/campaigns?file=campaign-2024.csv' --data-binary @fixtures/survey/campaign-2024.csv -H 'Content-Type: text/csv'; jq -c '[.year, .companies, .new_companies, .answers, .synthetic]' body.json
  201
  [2024,25,4,44,true]

  $ api GET /api/v1/survey/campaigns; jq -r '.[] | "\(.year) \(.companies) \(.answers) \(.file) \(.imported_by) \(.data_note)"' body.json
  200
  2023 23 43 campaign-2023.csv ann SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2023.csv)
  2024 25 44 campaign-2024.csv ann SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)

  $ sqlite3 rmct.db "SELECT actor, action, target, status FROM audit_log WHERE action LIKE '%survey%' ORDER BY id" | sort | uniq -c | sed 's/^ *//'
  1 ann|POST /api/v1/survey/campaigns|bad_brn.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_company.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_duplicate.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_last_row.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_metal.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_origins.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_region.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_shares.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_size.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_stage.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_synthetic.csv|422
  1 ann|POST /api/v1/survey/campaigns|bad_year.csv|422
  1 ann|POST /api/v1/survey/campaigns|campaign-2023.csv|200
  1 ann|POST /api/v1/survey/campaigns|campaign-2023.csv|201
  1 ann|POST /api/v1/survey/campaigns|campaign-2024.csv|201
  2 ann|POST /api/v1/survey/campaigns||400


# Company users now: by the command line and by an admin over the API.
  $ RMCT_ACTOR=setup RMCT_PASSWORD=company-pass-1 rmct user add mia --role company --company 000-81-00052
  user mia added with the role company for company 000-81-00052

  $ as root POST /api/v1/users '{"name":"max","role":"company","company":"0008100028","password":"company-pass-2"}'; jq -c '[.name, .role, .company]' body.json
  201
  ["max","company","000-81-00028"]

  $ as root POST /api/v1/users '{"name":"moe","role":"company","password":"company-pass-3"}'; err
  400
  bad_parameter company: company: the company role needs the company's business registration number

  $ as root POST /api/v1/users '{"name":"moe","role":"analyst","company":"000-81-00028","password":"company-pass-3"}'; err
  400
  bad_parameter company: company: only a user of the company role belongs to a company (role analyst)

  $ as root PATCH /api/v1/users/max '{"company":"000-81-00099"}'; err
  400
  bad_parameter company: company: expected a business registration number (123-45-67891: 10 digits, the last its check digit), got 000-81-00099

  $ as root PATCH /api/v1/users/max '{"company":"123-45-67891"}'; err
  400
  bad_parameter company: company: expected a company of the survey's registry (one that answered a campaign), got 123-45-67891

  $ login mia company-pass-1; jq -c '.user | [.name, .role, .company]' body.json; login max company-pass-2 > /dev/null
  200
  ["mia","company","000-81-00052"]


# What may be published: the statistics of the public view, for anyone (logged in or not, even an
# analyst), with the rule on the answer and on every table and the SYNTHETIC label.
  $ api GET /api/v1/survey/stats; jq -r '.year, .prev_year, .view, .synthetic, .data_note, .title, (.tables | map(.name) | join(" ")), (.suppression | tojson)' body.json
  200
  2024
  2023
  public
  true
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Rare-metal industry survey 2024
  size stage sector region metal localisation concentration origins
  {"withheld_by_rule":151,"withheld_to_protect":6,"figures_audited":154,"linear_programmes":308,"figures_disclosed":0}

  $ api GET /api/v1/survey/stats > /dev/null; jq -r '[.rule] + [.tables[].rule] | unique | length, .[0]' body.json
  1
  Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be recovered from totals, subtotals or other published cells (a linear-programming audit checks that no company's figure can be bounded within +-15%).

  $ api GET '/api/v1/survey/stats?table=size'; jq -r '.tables[0].rows[] | "\(.key) \(.cells.companies.value) \(.cells.companies.companies) \(.cells.companies.status) \(.cells.companies.mark) \(.cells.share_pct.value)"' body.json
  200
  large null null few x null
  mid-sized null null few x null
  medium 5 5 shown  20
  small 16 16 shown  64
  total 25 25 shown  100

  $ as ann GET '/api/v1/survey/stats?table=size'; jq -r '.view, (.tables[0].rows[0].cells.companies | tojson)' body.json
  200
  public
  {"value":null,"companies":null,"status":"few","mark":"x"}

  $ api GET '/api/v1/survey/stats?table=origins'; jq -r '.tables[0].rows[] | select(.key | startswith("Co:")) | "\(.key) \(.cells.companies.value) \(.cells.imported_t.value) \(.cells.imported_t.status)"' body.json
  200
  Co:CHN 5 389.4436 shown
  Co:FIN 3 null secondary
  Co:COD null null few

  $ api GET '/api/v1/survey/stats?year=2023&table=size'; jq -r '.year, .prev_year, (.tables[0].rows | map("\(.key)=\(.cells.companies.value)") | join(" "))' body.json
  200
  2023
  null
  large=null mid-sized=null medium=3 small=16 total=23

  $ api GET '/api/v1/survey/stats?year=2019'; err
  404
  not_found -: no survey campaign for 2019 (see 'rmct survey list')

  $ api GET '/api/v1/survey/stats?year=1999'; err
  400
  bad_parameter year: year: expected a whole number from 2000 to 2200

  $ api GET '/api/v1/survey/stats?table=companies'; err
  400
  bad_parameter table: table: expected one of size, stage, sector, region, metal, localisation, concentration, origins

  $ api GET '/api/v1/survey/stats?view=analyst'; err
  400
  bad_parameter view: view: not a parameter of this endpoint (expected: year,table)


# The same cells as 'rmct survey stats --view public --format json' (the command line's long form).
  $ api GET /api/v1/survey/stats > /dev/null; jq -c '[.tables[] as $t | $t.rows[] as $r | $t.columns[] as $c | [$t.name, $r.key, $c.key, $r.cells[$c.key].value, $r.cells[$c.key].companies, $r.cells[$c.key].status]]' body.json > api-long.json; rmct survey stats --view public --format json | jq -c '[.[] | [.table, .key, .column, .value, .companies, .status]]' > cli-long.json; cmp <(jq -c '.[]' api-long.json) <(jq -c '.[]' cli-long.json) && echo "$(jq length api-long.json) cells, the same as the command line"
  411 cells, the same as the command line


# Everything else about companies needs a login, and each view sees what the library lets it see:
# the full statistics and the list of companies are the analysts'.
  $ api GET /api/v1/survey/stats/full; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ as vera GET /api/v1/survey/stats/full; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ as mia GET /api/v1/survey/stats/full; err
  403
  forbidden -: this needs the analyst role or above; mia is company

  $ as ann GET /api/v1/survey/stats/full; jq -r '.view, .confidential, (.tables[0].rows[0].cells.companies | tojson)' body.json
  200
  analyst
  ANALYST VIEW, CONFIDENTIAL: withheld values (marked x or c) are never published (GET /api/v1/survey/stats).
  {"value":2,"companies":2,"status":"few","mark":"x"}

  $ as ann GET '/api/v1/survey/stats/full?table=origins'; jq -r '.tables[0].rows[] | select(.key == "Co:COD") | "\(.key) \(.cells.imported_t.value) \(.cells.imported_t.status)"' body.json
  200
  Co:COD 86.448 few

  $ as mia GET /api/v1/survey/companies; err
  403
  forbidden -: this needs the analyst role or above; mia is company

  $ as vera GET /api/v1/survey/companies; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ as ann GET /api/v1/survey/companies; jq -r '.year, .view, (.companies | length), (.companies[0] | "\(.brn) \(.name_en) \(.size) \(.metals)")' body.json
  200
  2024
  analyst
  25
  000-81-00159 Fictitious Alloy Casting (test) small 1

  $ as ann GET '/api/v1/survey/companies?year=2023'; jq -r '.year, (.companies | length)' body.json
  200
  2023
  23


# A company user sees its own company's page: profile, answers, exposure, history; another company
# is not found, exactly as a company that does not exist, by number or by name.
  $ as mia GET /api/v1/survey/companies/000-81-00052; jq -r '.company, .view, (.campaigns | join(" ")), .confidential, .data_note, .profile.name_en, .profile.size, .profile.stages, (.answers | map("\(.metal) \(.consumed_t) v\(.version)") | join("; ")), (.exposure.rows | map("\(.metal) \(.score * 100 | round / 100)") | join("; ")), (.history | length)' body.json
  200
  000-81-00052
  company:000-81-00052
  2023 2024
  CONFIDENTIAL: one company's answers; shown only to the company's own users and analysts, never published.
  SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (campaign-2024.csv)
  Fictitious Magnet Alloys (test)
  medium
  materials
  Dy 7.86 v1; Nd 96.35 v1; Pr 24.82 v1; Tb 1.92 v1
  Dy 5.57; Tb 5.18; Pr 4.77; Nd 3.65
  10

  $ as mia GET '/api/v1/survey/companies/0008100052?year=2023'; jq -r '.year, .profile.size, (.answers | length)' body.json
  200
  2023
  small
  4

  $ as mia GET /api/v1/survey/companies/000-81-00028; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00028"

  $ as mia GET /api/v1/survey/companies/000-81-00099; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00099"

  $ as mia GET '/api/v1/survey/companies/Fictitious%20Motor%20Works%20(test)'; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "Fictitious Motor Works (test)"

  $ as max GET /api/v1/survey/companies/000-81-00052; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00052"

  $ as vera GET /api/v1/survey/companies/000-81-00052; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00052"

  $ api GET /api/v1/survey/companies/000-81-00052; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ as ann GET '/api/v1/survey/companies/Fictitious%20Motor%20Works%20(test)'; jq -r '.company, .profile.size, (.answers | length)' body.json
  200
  000-81-00028
  large
  2

  $ as mia GET '/api/v1/survey/companies/000-81-00052?year=2030'; err
  404
  not_found -: company 000-81-00052 did not answer the 2030 campaign

  $ as mia GET /api/v1/stock/lots; err
  403
  forbidden -: this needs the viewer role or above; mia is company

  $ as mia GET /api/v1/survey/exposure; err
  403
  forbidden -: this needs the analyst role or above; mia is company


# Entry and correction: the company's own user corrects its dysprosium (a new version; the history
# says what changed, who and why), an analyst enters and withdraws an answer; every change is in
# the audit log and in the survey's own versioned history.
  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"meter read again","consumed_t":8.4,"origins":"CHN:90;JPN:10"}'; jq -c . body.json
  200
  {"company":"000-81-00052","year":2024,"kind":"answer","metal":"Dy","version":2,"action":"corrected","by":"mia","reason":"meter read again"}

  $ as mia GET /api/v1/survey/companies/000-81-00052; jq -r '(.answers[] | select(.metal == "Dy") | "\(.consumed_t) \(.origins) v\(.version) \(.actor) \(.reason)"), (.history[-1] | "\(.year) \(.kind) \(.metal) v\(.version) \(.actor): \(.changes) (\(.reason); \(.source))")' body.json
  200
  8.4 CHN:90;JPN:10 v2 mia meter read again
  2024 answer Dy v2 mia: consumed_t 7.86 -> 8.4; origins CHN:100 -> CHN:90;JPN:10 (meter read again; correction)

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/profile '{"year":2024,"reason":"registered name","name_en":"Fictitious Magnet Alloys Co. (test)"}'; jq -c . body.json
  200
  {"company":"000-81-00052","year":2024,"kind":"profile","metal":null,"version":2,"action":"corrected","by":"mia","reason":"registered name"}

  $ as ann PATCH /api/v1/survey/companies/000-81-00028/answers/gallium '{"year":2024,"reason":"answer by telephone","stage":"components","consumed_t":"1.5","produced_t":0,"import_pct":100,"domestic_pct":0,"recycled_pct":0,"origins":"CHN:100","inventory_days":30}'; jq -c . body.json
  201
  {"company":"000-81-00028","year":2024,"kind":"answer","metal":"Ga","version":1,"action":"entered","by":"ann","reason":"answer by telephone"}

  $ as ann PATCH /api/v1/survey/companies/000-81-00028/answers/Ga '{"year":2024,"reason":"entered for the wrong company","withdraw":true}'; jq -c '[.metal, .version, .action]' body.json
  200
  ["Ga",2,"withdrawn"]

  $ as ann PATCH /api/v1/survey/companies/000-81-00028/answers/Ga '{"year":2024,"reason":"again","withdraw":true}'; err
  409
  conflict -: the answer of company 000-81-00028 for Ga in 2024 is already withdrawn

  $ as ann GET /api/v1/survey/companies/000-81-00028; jq -r '.history[-2:][] | "\(.kind) \(.metal) v\(.version) withdrawn=\(.withdrawn) \(.actor): \(.changes) (\(.reason))"' body.json
  200
  answer Ga v1 withdrawn=false ann: first version (answer by telephone)
  answer Ga v2 withdrawn=true ann: withdrawn (entered for the wrong company)

  $ sqlite3 rmct.db "SELECT actor, action, target, status FROM audit_log WHERE action LIKE 'PATCH /api/v1/survey/%' ORDER BY id"
  mia|PATCH /api/v1/survey/companies/{company}/answers/{metal}|company 000-81-00052 2024 Dy|200
  mia|PATCH /api/v1/survey/companies/{company}/profile|company 000-81-00052 2024 profile|200
  ann|PATCH /api/v1/survey/companies/{company}/answers/{metal}|company 000-81-00028 2024 Ga|201
  ann|PATCH /api/v1/survey/companies/{company}/answers/{metal}|company 000-81-00028 2024 Ga|200
  ann|PATCH /api/v1/survey/companies/{company}/answers/{metal}|company 000-81-00028 2024 Ga|409

  $ sqlite3 rmct.db "SELECT actor, action, year, brn, json_extract(detail, '$.metal'), json_extract(detail, '$.version'), json_extract(detail, '$.reason') FROM survey_audit WHERE json_extract(detail, '$.reason') <> 'import' ORDER BY id"
  mia|answer|2024|0008100052|Dy|2|meter read again
  mia|profile|2024|0008100052||2|registered name
  ann|answer|2024|0008100028|Ga|1|answer by telephone
  ann|answer|2024|0008100028|Ga|2|entered for the wrong company


# ... and nobody else: a company user for another company (404 as above), a viewer (403), no login
# (401); every write needs the session's CSRF token and comes from this site; an API token needs none.
  $ as mia PATCH /api/v1/survey/companies/000-81-00028/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}'; err
  404
  not_found company: company: expected a company in the survey that this view may see (business registration number or name; see 'rmct survey list'), got "000-81-00028"

  $ as vera PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}'; err
  403
  forbidden -: only the company's own users and analysts may enter or correct its answers; vera is viewer

  $ api PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}'; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ api PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}' -b jar.mia; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ api PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}' -b jar.mia -H "X-CSRF-Token: $(cat csrf.ann)"; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":1}' -H 'Origin: http://evil.example'; err
  403
  bad_origin -: a request from another site (Origin http://evil.example) is refused

  $ as mia POST /api/v1/tokens '{"name":"erp export"}' > /dev/null; jq -r .token body.json > token.mia; bearer token.mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"from the ERP","inventory_days":52}'; jq -c '[.version, .by]' body.json
  200
  [3,"mia"]

  $ sqlite3 rmct.db "SELECT count(*) FROM survey_answer WHERE brn = '0008100052' AND metal = 'Dy' AND year = 2024"
  3


# A bad value is refused as an imported row's would be, naming the CSV column; and the request's own checks.
  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","import_pct":90}'; err
  422
  bad_input recycled_pct: recycled_pct: expected import_pct + domestic_pct + recycled_pct = 100 (within 0.5), got 90 + 0 + 0 = 90

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","stage":"recycling"}'; err
  422
  bad_input stage: stage: expected one of the company's stages (materials), got "recycling"

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/copper '{"year":2024,"reason":"x","consumed_t":1}'; err
  422
  bad_input metal: metal: expected one of Korea's 35 rare-metal types or one of their elements, got "copper"

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Ga '{"year":2024,"reason":"new","consumed_t":1}'; err
  400
  bad_parameter stage: stage: expected stage for a new answer (company 000-81-00052 has none for Ga in 2024), got nothing

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/profile '{"year":2024,"reason":"x","stages":"products"}'; err
  422
  bad_input stages: stages: expected the stages of the company's answers to stay (materials for Dy), got "products"

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/profile '{"year":2024,"reason":"x","region":"Atlantis"}'; err
  422
  bad_input region: region: expected a region of data/survey/regions.csv (ISO 3166-2:KR code such as KR-28, or name such as Incheon), got "Atlantis"

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/profile '{"year":2024,"reason":"x"}'; err
  400
  bad_parameter -: expected at least one field of the profile to change, got none

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"consumed_t":1}'; err
  400
  missing_parameter reason: reason: required

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"reason":"x","consumed_t":1}'; err
  400
  missing_parameter year: year: required

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","consumed_t":[1]}'; err
  400
  bad_parameter consumed_t: consumed_t: expected a string or a number

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2024,"reason":"x","tonnes":1}'; err
  400
  bad_parameter tonnes: tonnes: not a field of this request (expected: year,reason,stage,consumed_t,produced_t,import_pct,domestic_pct,recycled_pct,origins,inventory_days,substitutes,difficulties,difficulty_text,withdraw)

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy '{"year":2022,"reason":"x","consumed_t":1}'; err
  404
  not_found -: company 000-81-00052 has no profile in the 2022 campaign

  $ as mia PATCH /api/v1/survey/companies/000-81-00052/answers/Dy 'not json'; err
  400
  bad_json -: the body is not valid JSON: '[' or '{' expected near 'not'


# Exposure and a scenario's effect on companies: the analysts'.
  $ as ann GET /api/v1/survey/exposure; jq -r '.year, .view, .method, .sr_threshold, (.rows | length), (.rows[0] | "\(.brn) \(.company) \(.metal) \(.score * 100 | round / 100) x\(.vs_national * 100 | round / 100) \(.hit_by | map(.scenario + (if .stockout then " !" else "" end)) | join(", "))"), (.summary.rows | map("\(.key)=\(.cells.exposed.value // .cells.exposed.mark)") | join(" "))' body.json
  200
  2024
  analyst
  eu2017-kr
  1
  44
  000-81-00222 Fictitious Gallium Refining (test) Ga 5.45 x1.01 cn-ga-ge-licensing-2023 !, cn-us-ban-ga-ge-sb-2024
  large=2 mid-sized=2 medium=4 small=16 total=24

  $ as ann GET /api/v1/survey/exposure/cn-heavy-ree-magnets-2025; jq -r '.scenario, .from, .to, .not_hit, (.rows | length), (.rows[] | select(.brn == "000-81-00052" and .metal == "Dy") | "\(.metal) stockout \(.stockout) short \(.months_short) months")' body.json
  200
  cn-heavy-ree-magnets-2025
  2025-01
  2028-06
  38
  6
  Dy stockout 2025-06 short 12 months

  $ as ann GET '/api/v1/survey/exposure/cn-heavy-ree-magnets-2025?all=true'; jq -r '(.rows | length), .not_hit' body.json
  200
  44
  0

  $ as ann GET /api/v1/survey/exposure/no-such-scenario; err
  404
  not_found scenario: scenario: no bundled scenario "no-such-scenario" (GET /api/v1/scenarios)

  $ as ann GET /api/v1/survey/exposure/..rmct; err
  404
  not_found scenario: scenario: no bundled scenario "?" (GET /api/v1/scenarios)

  $ as vera GET /api/v1/survey/exposure/cn-heavy-ree-magnets-2025; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ api GET /api/v1/survey/exposure; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token


# No public answer reveals a single company's figure. Every public survey answer, logged out: no
# company's number or name appears in any of them.
  $ for p in /api/v1/survey/campaigns /api/v1/survey/codes /api/v1/survey/stats '/api/v1/survey/stats?year=2023' $(printf "/api/v1/survey/stats?table=%s " size stage sector region metal localisation concentration origins); do api GET "$p" > /dev/null; cat body.json; echo; done > public.json; echo "$(grep -c . public.json) answers; company numbers or names in them: $(grep -c -e '000-81-' -e '0008100' -e 'Fictitious ' -e '가상' public.json)"
  12 answers; company numbers or names in them: 0

# The attack (tests/tools/survey-attack): every published tonnage of the public statistics, and
# every difference of two of the same metal, against every company figure of the campaign as it
# now is (the corrections above included): none revealed. The same attack on the analyst's full
# statistics finds what is there.
  $ sed '/^2024,000-81-00052,/s/,Dy,materials,7.86,7.15,100,0,0,CHN:100,49,/,Dy,materials,8.4,7.15,100,0,0,CHN:90;JPN:10,52,/' fixtures/survey/campaign-2024.csv > now-2024.csv; diff fixtures/survey/campaign-2024.csv now-2024.csv | grep '^>' | cut -d, -f13-21
  Dy,materials,8.4,7.15,100,0,0,CHN:90;JPN:10,52

  $ api GET /api/v1/survey/stats > /dev/null; jq '[.tables[] as $t | $t.rows[] as $r | $t.columns[] as $c | {table: $t.name, key: $r.key, column: $c.key, value: $r.cells[$c.key].value}]' body.json > pub-api.json; $ROOT/tests/tools/survey-attack now-2024.csv pub-api.json
  pub-api.json: 224 company figures against 22 published tonnages and 29 differences: none revealed

  $ api GET '/api/v1/survey/stats?year=2023' > /dev/null; jq '[.tables[] as $t | $t.rows[] as $r | $t.columns[] as $c | {table: $t.name, key: $r.key, column: $c.key, value: $r.cells[$c.key].value}]' body.json > pub-api-2023.json; $ROOT/tests/tools/survey-attack fixtures/survey/campaign-2023.csv pub-api-2023.json
  pub-api-2023.json: 217 company figures against 20 published tonnages and 29 differences: none revealed

  $ as ann GET /api/v1/survey/stats/full > /dev/null; jq '[.tables[] as $t | $t.rows[] as $r | $t.columns[] as $c | {table: $t.name, key: $r.key, column: $c.key, value: $r.cells[$c.key].value}]' body.json > full-api.json; $ROOT/tests/tools/survey-attack now-2024.csv full-api.json > attack.txt; echo "exit $?"; head -1 attack.txt
  exit 1
  full-api.json: 224 company figures against 78 published tonnages and 666 differences: 34 revealed

# withheld cells carry no value and no count in the public answer
  $ api GET /api/v1/survey/stats > /dev/null; jq -r '[.tables[].rows[].cells[] | select(.status != "shown" and .status != "empty")] | "\(length) withheld, \(map(select(.value != null or .companies != null)) | length) with a value or a count"' body.json
  245 withheld, 0 with a value or a count


  $ stop_server
  server stopped cleanly

