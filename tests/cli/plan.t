# rmct stock plan on the hand-checked tiny chain (tests/cli/simulate.t): with the cut fixed and no
# background hazards every future is the same: 34.67 t of cobalt short, 69.33 widgets lost at
# 1,000 USD = 69,333 USD. Value at risk: 100 widgets x 1,000 USD per month / 50 t per month = 2,000
# USD per t. 600,000 USD buys 20 t at 30,000 USD/t: 14.67 t still short, 29,333 USD expected loss.
  $ RMCT_CHAINS=fixtures/sim/chains rmct stock plan --scenario fixtures/sim/tiny-cut.json --runs 50 --no-hazards --budget 6e5 --format csv | cut -d, -f1,5-11
  metal,value_at_risk_usd_t,p_short,short_before_t,buy_t,cost_usd,short_after_t,marginal_usd_t
  Co,2000,1,34.6666666666667,20,600000,14.6666666666667,2000

  $ RMCT_CHAINS=fixtures/sim/chains rmct stock plan --scenario fixtures/sim/tiny-cut.json --runs 50 --no-hazards --budget 6e5 | grep -E 'with no purchase|with the plan|shadow'
    with no purchase                        69333
    with the plan                           29333  (spends 600000 USD; protects 40000 USD)
  One more USD of budget avoids 0.07 USD of expected loss (the budget's shadow price).

# A budget larger than needed buys exactly the shortfall (34.67 t), not more.
  $ RMCT_CHAINS=fixtures/sim/chains rmct stock plan --scenario fixtures/sim/tiny-cut.json --runs 50 --no-hazards --budget 5e6 --format csv | cut -d, -f1,8,9,10
  metal,buy_t,cost_usd,short_after_t
  Co,34.6666666666667,1040000,0

# The extensive form (one LP row per metal and future) gives the same plan.
  $ RMCT_CHAINS=fixtures/sim/chains rmct stock plan --scenario fixtures/sim/tiny-cut.json --runs 50 --no-hazards --budget 6e5 --extensive --format csv | cut -d, -f1,8,9,10
  metal,buy_t,cost_usd,short_after_t
  Co,20,600000,14.6666666666667

# Stock already held counts: 12 t of cobalt in the ledger leave 22.67 t to cover.
  $ RMCT_TODAY=2026-06-01 rmct stock warehouse add W1 --name test > /dev/null && RMCT_TODAY=2026-06-01 rmct stock add --metal Co --tonnes 12 --form metal --purity 1 --warehouse W1 --date 2026-01-15 --lot CO-1 --cost 3e4 --currency USD > /dev/null && echo recorded
  recorded

  $ RMCT_CHAINS=fixtures/sim/chains rmct stock plan --scenario fixtures/sim/tiny-cut.json --runs 50 --no-hazards --budget 5e6 --format csv | cut -d, -f1,2,7,8,10
  metal,stock_t,short_before_t,buy_t,short_after_t
  Co,12,22.6666666666667,22.6666666666667,0

# On the bundled chains (baseline: background disruptions only), the plan never does worse than
# either simple rule for the same budget, and spends no more than the budget.
  $ rmct stock plan --budget 5e7 --runs 500 | grep -E '^  (with the plan|rule)' | sed -E 's/ +[0-9]+ +\(/ N (/; s/protects [0-9]+/protects P/; s/[0-9]+ USD better, [0-9.]+%/X USD better, Y%/'
    with the plan N (spends 50000000 USD; protects P USD)
    rule: equal days of cover N (the plan does X USD better, Y% of the rule's loss)
    rule: budget by SR N (the plan does X USD better, Y% of the rule's loss)

  $ rmct stock plan --budget 5e7 --runs 500 --format csv | awk -F, 'NR>1 {s+=$9} END {print (s <= 5e7*(1+1e-9)) ? "within budget" : "over budget"}'
  within budget

  $ rmct stock plan --runs 10
  rmct stock plan: --budget is required (USD) (see 'rmct stock plan --help')
  [2]

  $ rmct stock plan --budget -5
  rmct stock plan: --budget: expected an amount in USD (e.g. 5e7), got "-5" (see 'rmct stock plan --help')
  [2]

  $ rmct stock plan --budget 1e6 --capacity lots
  rmct stock plan: --capacity: expected tonnes >= 0, got "lots" (see 'rmct stock plan --help')
  [2]

  $ rmct stock plan --budget 1e6 --scenario no-such 2>&1 | sed "s|$ROOT|ROOT|"
  rmct: no scenario "no-such" (ROOT/data/scenarios/no-such.json; see 'rmct simulate --list')

