# rmct chain / simulate / hazards. The tiny chain (tests/fixtures/sim/chains/tiny.json) is checked by
# hand: 100 widgets a month at 0.5 t of cobalt each = 50 t/month, one month (50 t) of cobalt stock,
# imports 60% China, 40% Congo. China withholds all its cobalt in months 2025-03..05:
#   2025-03: 20 t arrive (ordered 50), stock 50 -> 20, nothing short;
#   2025-04: ordered 50 + (50-20)/6 = 55, 22 arrive, 42 available: 8 t short (16%), 16 widgets lost;
#   2025-05: ordered 58.33, 23.33 arrive: 26.67 t short (53.3%), 53.33 widgets lost;
#   2025-06: the cut is over. Totals 34.67 t, 69.33 widgets, 69,333 USD at 1,000 USD each.
  $ RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/tiny-cut.json | sed -n '/^Shortfall by metal/,/^Chains/p'
  Shortfall by metal (tonnes of contained element unless the unit says otherwise, whole horizon)
  metal  normal demand /month  shortfall  % of demand  months short  first short  recovered  lowest cover (days)  public stock used
  -----  --------------------  ---------  -----------  ------------  -----------  ---------  -------------------  -----------------
  Co     50 t                      34.67          8.7             2  2025-04      2025-06                      0  -
  
  Production lost by sector
  sector  product      production lost  unit   % of output  value lost (USD)  first loss  recovered
  ------  -----------  ---------------  -----  -----------  ----------------  ----------  ---------
  EV      tiny/widget            69.33  units         8.67            69,333  2025-04     2025-06
  
  Month by month: production lost by sector (% of normal output value) and metals short (% of demand)
  month            EV  |      Co
  2025-01..2025-03  nothing short
  2025-04        16.0  |    16.0
  2025-05        53.3  |    53.3
  2025-06..2025-08  nothing short
  
  Chains: 8 of 8 parameters are assumptions ('rmct chain show NAME' lists each with its basis).

  $ RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/tiny-cut.json --format csv | grep -E '^2025-0[45],tiny,co,' | cut -d, -f1,8-11,13,16,17
  2025-04,50,42,8,16,0,22,33
  2025-05,50,23.3333333333333,26.6666666666667,53.3333333333333,0,23.3333333333333,35

# With 30 t of public stock released as needed: 8 t in April (nothing short), the last 22 t in May
# (50 - 23.33 - 22 = 4.67 t short).
  $ RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/tiny-stock.json --format csv | grep -E '^2025-0[45],tiny,co,' | cut -d, -f1,10,15,20
  2025-04,0,22,8
  2025-05,4.66666666666666,0,22

# An ensemble gives the same numbers on 1 and 2 threads (and, in tests/cli/mpi.t, on 2 ranks).
  $ RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/tiny-stock.json --runs 3000 --seed 5 --threads 1 --format csv > t1.csv

  $ RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/tiny-stock.json --runs 3000 --seed 5 --threads 2 --format csv > t2.csv

  $ cmp t1.csv t2.csv && head -2 t1.csv | cut -d, -f1-4
  kind,what,unit,mean
  metal shortfall,Co,t,8.28126635464613

# Bad chain files: the file, the entry, the field and what was expected; nothing runs.
  $ for f in no-basis unknown-from cycle share-range typo-key shares-sum no-demand truncated; do   mkdir -p c_$f; cp fixtures/sim/bad/$f.json c_$f/; RMCT_CHAINS=c_$f rmct chain list; echo "exit $?"; done
  rmct: c_no-basis/no-basis.json: nodes[1] (widget).inputs[0].intensity: expected exactly one of "source" (where the figure comes from) or "assumption" (why this value), got neither
  exit 1
  rmct: c_unknown-from/unknown-from.json: nodes[1] (widget).inputs[0].from: expected the id of a node in this chain, got "cobalt"
  exit 1
  rmct: c_cycle/cycle.json: nodes[0] (co).inputs: expected an acyclic chain, but this node is on a cycle of inputs
  exit 1
  rmct: c_share-range/share-range.json: nodes[0] (co).domestic_share.value: expected a number from 0 to 1, got 1.5
  exit 1
  rmct: c_typo-key/typo-key.json: nodes[1] (widget)."sectr": unknown field (allowed: see docs/SIMULATION.md)
  exit 1
  rmct: c_shares-sum/shares-sum.json: nodes[0] (co).imports.partners: expected shares summing to at most 1, got 1.1
  exit 1
  rmct: c_no-demand/no-demand.json: nodes[1] (widget).final_demand: expected a parameter object (products need their yearly demand), got nothing
  exit 1
  rmct: c_truncated/truncated.json:1:300: expected valid JSON: premature end of input near '"'
  exit 1

# Bad scenario files.
  $ for f in bad-date no-match bad-dist months bad-type; do   RMCT_CHAINS=fixtures/sim/chains rmct simulate fixtures/sim/bad/$f.scn.json; echo "exit $?"; done
  rmct: fixtures/sim/bad/bad-date.scn.json: events[0].effective: expected a date YYYY-MM or YYYY-MM-DD, got "2025-13"
  exit 1
  rmct: fixtures/sim/bad/no-match.scn.json: events[0] (export_restriction CHN): matches no node of the chains simulated (check metals, nodes and sectors against 'rmct chain show')
  exit 1
  rmct: fixtures/sim/bad/bad-dist.scn.json: events[0].cut.distribution: expected low <= mode <= high, got 0.6, 0.5, 0.9
  exit 1
  rmct: fixtures/sim/bad/months.scn.json: months: expected a whole number of months from 1 to 120, got 121
  exit 1
  rmct: fixtures/sim/bad/bad-type.scn.json: events[0].type: expected export_restriction, outage, demand_surge or price_shock, got "embargo"
  exit 1

  $ rmct simulate no-such-scenario 2>&1 | sed "s|$ROOT|ROOT|"
  rmct: no scenario "no-such-scenario" (ROOT/data/scenarios/no-such-scenario.json; see 'rmct simulate --list')

  $ rmct simulate baseline --runs 0
  rmct simulate: --runs: expected a number of futures from 1 to 100,000,000, got "0" (see 'rmct simulate --help')
  [2]

  $ rmct simulate baseline --threads x
  rmct simulate: --threads: expected 1 to 256, got "x" (see 'rmct simulate --help')
  [2]

  $ rmct simulate baseline --runs 10 --future 3
  rmct simulate: --future prints one future: leave out --runs (see 'rmct simulate --help')
  [2]

  $ rmct chain show no-such-chain 2>&1 | sed "s|$ROOT|ROOT|"
  rmct: no chain named "no-such-chain" in ROOT/data/chains (see 'rmct chain list')

# Every bundled scenario balances at every node and month: inventory at start + imports +
# production + recycled + released + returned = served + inventory at the end, and served +
# shortfall = demand (relative tolerance 1e-9 on the printed 15 digits).
  $ for s in $(rmct simulate --list --format csv | sed 1d | cut -d, -f1); do rmct simulate $s --format csv | awk -F, -v s=$s 'NR>1 { a=$12+$16+$18+$19+$20+$21; b=$9+$13; e=(a-b)/(1+(a<0?-a:a)); if (e > 1e-9 || e < -1e-9) bad++; d=($9+$10-$8)/(1+$8); if (d > 1e-9 || d < -1e-9) bad++; n++ } END { print s, n, "node-months,", bad+0, "unbalanced" }'; done
  baseline 4800 node-months, 0 unbalanced
  cd-cobalt-suspension-2025 624 node-months, 0 unbalanced
  cn-antimony-licensing-2024 108 node-months, 0 unbalanced
  cn-ga-ge-licensing-2023 576 node-months, 0 unbalanced
  cn-graphite-licensing-2023 468 node-months, 0 unbalanced
  cn-heavy-ree-magnets-2025 336 node-months, 0 unbalanced
  cn-us-ban-ga-ge-sb-2024 456 node-months, 0 unbalanced
  cn-w-te-bi-mo-in-2025 684 node-months, 0 unbalanced
  id-nickel-ore-ban-2020 468 node-months, 0 unbalanced
  ree-china-halves-6m 192 node-months, 0 unbalanced

# Charts: the central run and an ensemble's fans render to non-blank PNGs.
  $ rmct simulate ree-china-halves-6m --svg charts > /dev/null && rmct simulate ree-china-halves-6m --runs 500 --svg charts > /dev/null && ls charts
  fan.svg
  shortfall-metals.svg
  shortfall-sectors.svg
  stockpile.svg

  $ for f in charts/*.svg; do rsvg-convert -w 900 $f -o x.png && pngtopam x.png | ppmhist -noheader | wc -l | awk -v f=$f '{print f, ($1 > 10) ? "rendered, not blank" : "blank"}'; done
  charts/fan.svg rendered, not blank
  charts/shortfall-metals.svg rendered, not blank
  charts/shortfall-sectors.svg rendered, not blank
  charts/stockpile.svg rendered, not blank

# The background hazards ensembles draw from (register restrictions per year + governance).
  $ rmct hazards --format csv | grep -E '^CHN,(REE|Co),' | cut -d, -f1-3,9,10
  CHN,Co,0.0594236389833089,1,5.6312208
  CHN,REE,0.457334646863052,12,5.6312208

# The bundled chains and scenarios.
  $ rmct chain list --format csv | cut -d, -f1-4
  chain,version,year,nodes
  battery,1,2024,13
  minor-metals,1,2024,3
  ree-magnets,1,2024,8
  refractory-targets,1,2024,16

  $ rmct chain show ree-magnets --format csv | grep -E '^ndfeb_magnet,intensity:nd,'
  ndfeb_magnet,intensity:nd,0.3075,t Nd/t magnet,source,"chain_parameters.csv: ree_magnet_ev / ndfeb_composition_nd, sintered NdFeB, 30.75 mass % (midpoint of 29-32.5 %; Courage Magnet FAQ, also Sens Magnetics); the page writes RE = Nd, Pr, Dy and gives no separate Pr figure"

  $ rmct simulate --list --format csv | cut -d, -f1-3
  scenario,start,months
  baseline,2026-01,120
  cd-cobalt-suspension-2025,2024-11,48
  cn-antimony-licensing-2024,2024-06,36
  cn-ga-ge-licensing-2023,2023-05,36
  cn-graphite-licensing-2023,2023-09,36
  cn-heavy-ree-magnets-2025,2025-01,42
  cn-us-ban-ga-ge-sb-2024,2024-09,24
  cn-w-te-bi-mo-in-2025,2024-11,36
  id-nickel-ore-ban-2020,2019-10,36
  ree-china-halves-6m,2026-01,24

  $ rmct simulate ree-china-halves-6m | sed -n '/^Month by month/,/^Chains/p'
  Month by month: production lost by sector (% of normal output value) and metals short (% of demand)
  month          wind         EV  |      Nd      Pr      Dy      Tb
  2026-01..2026-04  nothing short
  2026-05         4.4        0.0  |     0.6     0.6     0.6     0.6
  2026-06        26.8        7.7  |     0.0     0.0     0.0     0.0
  2026-07        26.0       23.1  |     0.0     0.0     0.0     0.0
  2026-08        24.8       21.9  |     0.0     0.0     0.0     0.0
  2026-09..2027-12  nothing short
  
  Chains: 20 of 35 parameters are assumptions ('rmct chain show NAME' lists each with its basis).


# --recycling-from-mfa: the chains' recycling streams take what the recycling model recovers in a
# year (rmct mfa recycle, tests/cli/mfa.t): cobalt 83.67 t in 2030 = 6.97 t a month, in place of the
# chain's 1,000 t/yr (83.3 t a month, SungEel HiTech's capacity).
  $ rmct simulate cd-cobalt-suspension-2025 --recycling-from-mfa 2030 | grep '^Recycling streams'
  Recycling streams from the recycling model for 2030 ('rmct mfa recycle'): Li 53.24 t/yr, Ni 435.8 t/yr, Co 83.67 t/yr.

  $ rmct simulate cd-cobalt-suspension-2025 --recycling-from-mfa 2030 --format csv | grep '^2025-06,battery,co,' | cut -d, -f1-3,19
  2025-06,battery,co,6.97219786987563

  $ rmct mfa recycle --metal Co --years 2030 --format csv | cut -d, -f1,2,9
  year,metal,recovered_t
  2030,Co,83.6663744385076

  $ rmct simulate cd-cobalt-suspension-2025 --recycling-from-mfa 2070
  rmct: --recycling-from-mfa 2070: expected a year the recycling model covers, 2011-2050
  [2]

