# Importing data files over HTTP (docs/API.md, "Importing data"): POST /api/v1/sources with the file
# as the body (text/csv) and the format of 'rmct import' as a parameter. Analysts and above; all of
# the file or nothing (the database is unchanged after a refused file, byte for byte); the same
# bytes again change nothing; the error names the file (as uploaded), line, column and field, never
# a path on the server. The answers of the public pages follow the new data (the cache is dropped).
  $ RMCT_ACTOR=setup RMCT_PASSWORD=viewer-pass-1 rmct user add vera --role viewer > /dev/null; RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-1 rmct user add ann --role analyst > /dev/null; RMCT_ACTOR=setup RMCT_PASSWORD=admin-pass-01 rmct user add root --role admin > /dev/null

  $ start_server --rate 0 --login-rate 0
  server up

  $ login vera viewer-pass-1; login ann analyst-pass-1; login root admin-pass-01
  200
  200
  200

# Who may: not without a login, not a viewer, not without the CSRF token or from another site.
  $ api POST '/api/v1/sources?format=generic&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ as vera POST '/api/v1/sources?format=generic&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ api POST '/api/v1/sources?format=generic&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv' -b jar.ann; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ as ann POST '/api/v1/sources?format=generic&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv' -H 'Origin: http://evil.example'; err
  403
  bad_origin -: a request from another site (Origin http://evil.example) is refused

# Wrong requests: no format, an unknown one, a bad file name, no body, not CSV.
  $ as ann POST '/api/v1/sources?file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; err
  400
  missing_parameter format: format: expected one of the import formats (rmct import --help)

  $ as ann POST '/api/v1/sources?format=excel&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; jq -r '.error.parameter, (.error.message | .[0:60])' body.json
  400
  format
  format: expected one of usgs, generic, comtrade, baci, baci-

  $ as ann POST '/api/v1/sources?format=generic&file=../good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; err
  400
  bad_parameter file: file: expected a file name of 1 to 64 letters, digits, '.', '_' or '-', not starting with a dot

  $ as ann POST '/api/v1/sources?format=generic&file=good.csv' --data-binary '' -H 'Content-Type: text/csv'; err
  400
  missing_parameter -: expected the data file as the body

  $ as ann POST '/api/v1/sources?format=generic&file=good.csv' --data-binary @fixtures/generic/good.csv -H 'Content-Type: application/json'; err
  415
  unsupported_media_type -: expected a CSV file as the body (Content-Type: text/csv)

# A bad file is refused with its line, column and field, and nothing is stored (the database is the
# same but for the audit log of the requests).
  $ data() { sqlite3 rmct.db .dump | grep -v -e '^INSERT INTO audit_log' -e '^INSERT INTO app_session' | sha256sum; }; h=$(data); for f in nonnumeric negative unknown_country unknown_metal truncated invalid_utf8; do as ann POST "/api/v1/sources?format=generic&file=$f.csv" --data-binary @fixtures/generic/$f.csv -H 'Content-Type: text/csv'; err; done; test "$(data)" = "$h" && echo data unchanged
  422
  bad_input value: nonnumeric.csv:3:21: value: expected a number, got "3.4k"
  422
  bad_input value: negative.csv:2:19: value: expected a non-negative quantity, got "-67000"
  422
  bad_input country: unknown_country.csv:3:8: country: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "Atlantis"
  422
  bad_input metal: unknown_metal.csv:2:1: metal: expected a metal (element symbol or name, type code such as REE or PGM, or a known alias), got "unobtainium"
  422
  bad_input -: truncated.csv:3:12: expected 7 fields as in the header, got 3 (the file ends in the middle of a record)
  422
  bad_input country: invalid_utf8.csv:3:10: country: expected UTF-8 text, got the byte 0xFF (convert the file to UTF-8)
  data unchanged

  $ grep -q rmct-upload body.json server.out server.err || echo no server path in the answers or the log
  no server path in the answers or the log

# A good file: 201, the source with its rows; the same bytes again: 200, unchanged.
  $ as ann GET /api/v1/sources > /dev/null; jq length body.json > n.before; as ann POST '/api/v1/sources?format=generic&file=good.csv&edition=2024&publisher=U.S.%20Geological%20Survey' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; jq -r '"\(.format) \(.file) unchanged \(.unchanged) rows \(.rows) skipped \(.skipped)"' body.json
  201
  generic good.csv unchanged false rows 5 skipped 0

  $ as ann POST '/api/v1/sources?format=generic&file=good.csv&edition=2024&publisher=U.S.%20Geological%20Survey' --data-binary @fixtures/generic/good.csv -H 'Content-Type: text/csv'; jq -r '"unchanged \(.unchanged)"' body.json
  200
  unchanged true

  $ api GET /api/v1/sources > /dev/null; echo "$(cat n.before) -> $(jq length body.json) sources"; header X-Cache
  28 -> 29 sources
  miss

# Another file under the same name and edition is refused unless it replaces the first.
  $ sed 's/67000/66000/' fixtures/generic/good.csv > good.csv; as ann POST '/api/v1/sources?format=generic&file=good.csv&edition=2024&publisher=U.S.%20Geological%20Survey' --data-binary @good.csv -H 'Content-Type: text/csv'; err | sed 's/(on [^)]*)/(on DATE, SHA-256 ...)/'
  409
  conflict -: good.csv: a different file named good.csv was already imported as generic:good.csv edition 2024 (on DATE, SHA-256 ...); use --replace to replace it, or --edition to import it beside the old one

  $ as ann POST '/api/v1/sources?format=generic&file=good.csv&edition=2024&publisher=U.S.%20Geological%20Survey&replace=true' --data-binary @good.csv -H 'Content-Type: text/csv'; jq -r '"rows \(.rows), replaced source \(.replaced_source > 0)"' body.json
  201
  rows 5, replaced source true

# The write is in the audit log with the user.
  $ as root GET '/api/v1/audit?limit=100'; jq -r '.[] | select(.action | test("sources")) | "\(.actor) \(.action) \(.target) \(.status)"' body.json | sort | uniq -c | sed 's/^ *//'
  200
  4 ann POST /api/v1/sources  400
  1 ann POST /api/v1/sources generic good.csv 200
  2 ann POST /api/v1/sources generic good.csv 201
  1 ann POST /api/v1/sources generic good.csv 409
  1 ann POST /api/v1/sources generic invalid_utf8.csv 422
  1 ann POST /api/v1/sources generic negative.csv 422
  1 ann POST /api/v1/sources generic nonnumeric.csv 422
  1 ann POST /api/v1/sources generic truncated.csv 422
  1 ann POST /api/v1/sources generic unknown_country.csv 422
  1 ann POST /api/v1/sources generic unknown_metal.csv 422

  $ stop_server
  server stopped cleanly

