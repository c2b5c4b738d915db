# A 100 MB generic CSV is streamed: its last line is bad, so all of it is read and 1.1 million rows
# are inserted before the error; the error names that line, peak memory stays bounded (below
# RMCT_MAX_RSS_MB, default 64 MB; sanitizer builds set more), and the database is unchanged.
  $ "$ROOT/tests/tools/gen-large" 100 bad > big.csv; ls -l big.csv | awk '{print ($5 >= 100000000) ? "100 MB or more" : "too small"}'; wc -l < big.csv
  100 MB or more
  1101330

  $ before=$(dbhash); /usr/bin/time -o rss.txt -f %M rmct import generic big.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; tail -n1 rss.txt | awk -v max="${RMCT_MAX_RSS_MB:-64}" '{print ($1 / 1024 < max) ? "memory bounded" : "peak " $1 / 1024 " MB"}'; exit $s
  rmct: big.csv:1101330:17: value: expected a number, got "twelve"
  unchanged
  memory bounded
  [1]
