# rmct mfa: dynamic stock models (ODYM's conventions) and the metal that comes back from products in
# use. Checked by hand as noted above each test; the full ODYM comparison (43 cases, every lifetime
# type, both model kinds, within 1e-9 relative) is tests/unit/test_dsm.c.

# Inflow-driven, 100 a year, fixed 2-year lifetime: a cohort is in use at ages 0 and 1 and leaves in
# the year it turns 2 (ODYM: present while age < mean). Stock 100, 200, 200, 200; outflow 0, 0, 100,
# 100; stock change 100, 100, 0, 0 (the first year's change is the stock itself).
  $ printf '100\n100\n100\n100\n' > in.csv; rmct mfa dsm --inflow in.csv --lifetime fixed:2 --first-year 2020
  year   inflow  outflow  stock (year end)  stock change
  ----  -------  -------  ----------------  ------------
  2020  100.000    0.000           100.000       100.000
  2021  100.000    0.000           200.000       100.000
  2022  100.000  100.000           200.000         0.000
  2023  100.000  100.000           200.000         0.000
  
  Inflow-driven model, 4 years, lifetime fixed:2 (expected 2 years). ODYM's conventions (docs/MFA.md).


# Stock-driven, the same stock back: the inflows are 100 each year (checked by hand as above).
  $ printf 'year,stock\n2020,100\n2021,200\n2022,200\n2023,200\n' > st.csv; rmct mfa dsm --stock st.csv --lifetime fixed:2 --format csv
  year,inflow,outflow,stock,stock_change
  2020,100,0,100,100
  2021,100,0,200,100
  2022,100,100,200,0
  2023,100,100,200,0


# A falling stock with a long lifetime: a negative inflow (kept, ODYM's default) and, with --nic, the
# older cohort releases the excess instead (stock 100 -> 50: inflow 0, outflow 50).
  $ printf '100\n50\n' > fall.csv; rmct mfa dsm --stock fall.csv --lifetime fixed:10 --format csv
  rmct: note: 1 year with a negative inflow (first 1): the stock falls faster than the lifetime lets products leave; --nic releases the excess from older cohorts instead
  year,inflow,outflow,stock,stock_change
  0,100,0,100,100
  1,-50,0,50,-50

  $ rmct mfa dsm --stock fall.csv --lifetime fixed:10 --format csv --nic
  rmct: note: 1 year where older cohorts released excess stock (--nic; first 1)
  year,inflow,outflow,stock,stock_change
  0,100,0,100,100
  1,0,50,50,-50


# Full double precision in CSV: the normal 25,7.5 stock-driven case agrees with ODYM's own numbers
# (tests/fixtures/mfa/odym, made with ODYM itself) to better than 1e-9 relative in every year and column.
  $ cut -d, -f2 fixtures/mfa/odym/normal-25-7p5-stock.csv > s.csv; rmct mfa dsm --stock s.csv --lifetime normal:25,7.5 --format csv 2> /dev/null > got.csv; paste -d, got.csv fixtures/mfa/odym/normal-25-7p5-stock.csv | awk -F, 'NR > 1 { for (k = 2; k <= 5; k++) { d = $k - $(k + 6); if (d < 0) d = -d; a = $(k + 6) < 0 ? -$(k + 6) : $(k + 6); r = d / (a > 1 ? a : 1); if (r > m) m = r } } END { print NR - 1, "years,", (m < 1e-9 ? "all within 1e-9 of ODYM" : "DIFFERENT") }'
  60 years, all within 1e-9 of ODYM


# An initial stock with an age structure (oldest cohort first) and per-cohort lifetimes: at the end
# of 2019, 10 units of 2018 (fixed 3: leave in 2021, aged 3) and 20 of 2019 (fixed 2: leave in 2021);
# inflows of 5 a year with fixed 1 (each leaves the next year). 2020: stock 35, change 35 - 30 = 5;
# 2021: all 35 leave, stock 5; 2022: 5 leave, 5 enter.
  $ printf '10\n20\n' > init.csv; printf 'type,a,b\nfixed,3,\nfixed,2,\nfixed,1,\nfixed,1,\nfixed,1,\n' > lt.csv; printf 'year,inflow\n2020,5\n2021,5\n2022,5\n' > in3.csv; rmct mfa dsm --inflow in3.csv --initial-stock init.csv --lifetimes lt.csv --format csv
  year,inflow,outflow,stock,stock_change
  2020,5,0,35,5
  2021,5,35,5,-30
  2022,5,5,5,0

# The 2018 cohort cannot still be in use at age 1 with a fixed lifetime of 1 year.
  $ printf 'type,a,b\nfixed,1,\nfixed,2,\nfixed,1,\nfixed,1,\nfixed,1,\n' > lt0.csv; rmct mfa dsm --inflow in3.csv --initial-stock init.csv --lifetimes lt0.csv
  rmct: init.csv: initial stock, cohort 1 of 2 (age 1): expected no stock at an age the lifetime fixed:1 leaves no survivors at, got 10
  [1]


# By cohort (year, cohort, stock at year end, outflow during the year).
  $ rmct mfa dsm --inflow in.csv --lifetime fixed:2 --cohorts --format csv | head -6
  year,cohort,stock,outflow
  0,0,100,0
  1,0,100,0
  1,1,100,0
  2,0,0,100
  2,1,100,0


# Bad input: the file, the line and what was expected; exit 1 (2 for a bad option).
  $ printf 'stock\n10\n-3\n' > neg.csv; rmct mfa dsm --stock neg.csv --lifetime normal:10,3
  rmct: neg.csv:3:1: expected a number >= 0, got -3
  [1]

  $ rmct mfa dsm --stock st.csv --lifetime normal:25
  rmct: --lifetime: normal needs two parameters, mean and standard deviation (normal:MEAN,SD), got "normal:25"
  [2]

  $ rmct mfa dsm --stock st.csv --lifetime normal:25,-2
  rmct: --lifetime: expected a normal standard deviation > 0 years, got -2
  [2]

  $ rmct mfa dsm --stock st.csv --lifetime weibull:2.5
  rmct: --lifetime: weibull needs two parameters, shape and scale (weibull:SHAPE,SCALE), got "weibull:2.5"
  [2]

  $ rmct mfa dsm --stock st.csv --lifetime gamma:2,3
  rmct: --lifetime: expected TYPE:PARAMS with TYPE fixed, normal, foldednormal, weibull or lognormal (e.g. normal:25,7.5), got "gamma:2,3"
  [2]

  $ printf 'type,a,b\nnormal,10,2\nnormal,10,2\n' > lt2.csv; rmct mfa dsm --stock st.csv --lifetimes lt2.csv
  rmct: lt2.csv: expected 4 lifetimes (one per cohort: 0 of the initial stock + 4 years of st.csv), got 2
  [1]

  $ printf 'type,a,b\nnormal,10,2\nnormal,-1,2\nnormal,10,2\nnormal,10,2\n' > lt3.csv; rmct mfa dsm --stock st.csv --lifetimes lt3.csv
  rmct: lt3.csv:3: expected a normal mean >= 0 years, got -1
  [1]

  $ printf 'year,v\n2015,3\n' > init2.csv; rmct mfa dsm --stock st.csv --initial-stock init2.csv --lifetime fixed:9
  rmct: init2.csv: expected cohorts ending in 2019 (the year before the first of st.csv), got 2015-2015
  [1]

  $ printf '1\n2\nabc\n' > bad.csv; rmct mfa dsm --inflow bad.csv --lifetime fixed:2
  rmct: bad.csv:3:1: expected a number, got "abc"
  [1]

  $ rmct mfa dsm --inflow in.csv --stock st.csv --lifetime fixed:2
  rmct mfa dsm: expected exactly one of --inflow FILE or --stock FILE (see 'rmct mfa dsm --help')
  [2]

  $ rmct mfa dsm --inflow in.csv --lifetime fixed:2 --nic
  rmct mfa dsm: --nic applies to stock-driven models (--stock) (see 'rmct mfa dsm --help')
  [2]


# The bundled product systems: every figure sourced or labelled an assumption (counts per system).
  $ rmct mfa list | head -7 | cut -c1-124
  system         version  model   unit      years      lifetime              metals       parameters  of which assumptions  ti
  -------------  -------  ------  --------  ---------  --------------------  -----------  ----------  --------------------  --
  ev-batteries         1  inflow  kWh       2022-2050  normal:15,4           Li Ni Co Mn          42                    20  EV
  ev-motors            1  inflow  vehicles  2022-2050  normal:17,4           Nd Pr Dy Tb          23                    13  Nd
  smartphones          1  inflow  phones    2011-2050  lognormal:1.3,0.5     Co Li                16                     9  Sm
  tv-displays          1  stock   TVs       2011-2050  normal:10.4,3.1       In                   37                    27  Fl
  wind-turbines        1  stock   MW        2013-2050  weibull:4.07,22.0434  Nd Dy Pr Tb          33                    18  Wi


# Two hand-checked systems sharing 0.25 t/yr of cobalt capacity (tests/fixtures/mfa; the arithmetic
# is in tests/unit/test_mfa.c): in 2022 0.32 t is recoverable, 0.25 t recovered, gap 0.07 t,
# EoL-RIR 1.71875 %; a what-if collection of 1 raises tiny's recoverable end of life to 0.4 t.
  $ RMCT_MFA=fixtures/mfa rmct mfa recycle --metal Co --years 2020-2024 --format csv
  year,metal,in_use_t,eol_t,collected_t,new_scrap_t,recoverable_t,capacity_t,recovered_t,recovered_eol_t,capacity_gap_t,demand_t,recycled_content_pct,eol_rir_pct,sr_factor
  2020,Co,1.51,0,0,0.2,0.1,0.25,0.1,0,-0.15,10,1,0,1
  2021,Co,2.02,0.51,0.26,0.2,0.21,0.25,0.21,0.11,-0.04,10,2.1,1.1,0.989
  2022,Co,2.03,1.02,0.52,0.2,0.32,0.25,0.25,0.171875,0.0700000000000001,10,2.5,1.71875,0.9828125
  2023,Co,2.03,1.03,0.53,0.2,0.33,0.25,0.25,0.174242424242424,0.0800000000000001,10,2.5,1.74242424242424,0.982575757575758
  2024,Co,2.03,1.03,0.53,0.2,0.33,0.25,0.25,0.174242424242424,0.0800000000000001,10,2.5,1.74242424242424,0.982575757575758

  $ RMCT_MFA=fixtures/mfa rmct mfa run tiny2 --format csv
  year,metal,product_inflow,product_outflow,product_stock,inflow_t,in_use_t,eol_t,collected_t,recoverable_eol_t,new_scrap_t,recoverable_new_t,recovered_t
  2020,Co,10,0,10,0.01,0.01,0,0,0,0,0,0
  2021,Co,20,10,20,0.02,0.02,0.01,0.01,0.01,0,0,0.01
  2022,Co,30,20,30,0.03,0.03,0.02,0.02,0.02,0,0,0.015625
  2023,Co,30,30,30,0.03,0.03,0.03,0.03,0.03,0,0,0.0227272727272727
  2024,Co,30,30,30,0.03,0.03,0.03,0.03,0.03,0,0,0.0227272727272727

  $ RMCT_MFA=fixtures/mfa rmct mfa run tiny --years 2022 --collection 1 --format csv | cut -d, -f1,2,8-13
  year,metal,eol_t,collected_t,recoverable_eol_t,new_scrap_t,recoverable_new_t,recovered_t
  2022,Co,1,1,0.4,0.2,0.1,0.240384615384615

  $ RMCT_MFA=fixtures/mfa rmct mfa show tiny --format csv | head -4
  field,year,value,unit,basis_kind,basis
  series,2020,100,,source,test fixture
  series,2024,100,,source,test fixture
  initial_stock,2019,50,,source,test fixture


# The bundled battery system: recoverable cobalt, nickel and lithium by year, the capacity gap
# against SungEel HiTech's stated 1,000 t Co, 600 t Ni and 149 t Li a year, and the sources and
# assumptions behind them. Checked by hand for 2025: Co in use 7,706 t = about 0.92 M EVs x 71.4 kWh x
# ~0.12 kg Co/kWh (+ ~0.1 kt in phones); EoL 120 t, mostly 12.5 M phones x 8 g; manufacturing scrap
# 25 GWh x 4 % x 0.102 kg/kWh = 102 t; capacity gap = recoverable - 1,000 t.
  $ rmct mfa recycle --metal Co --years 2025-2030 | head -15
  Co recovered in Korea from products in use, 2025-2030 (tonnes of contained Co).
  Systems: ev-batteries smartphones. recoverable = end of life x collection x pre-processing x recovery yield + manufacturing
  scrap x recovery yield; recovered = min(recoverable, domestic capacity); capacity gap = recoverable -
  capacity (> 0: more than Korea can process; < 0: spare capacity); EoL-RIR = recovered from end of
  life / Korean demand; the last column is the supply-risk multiplier of the EU method.
  
  year  metal  in use (t)  end of life (t)  collected (t)  mfg scrap (t)  recoverable (t)  capacity (t)  recovered (t)  of which EoL (t)  capacity gap (t)  demand (t)  recycled content %  EoL-RIR %  SR x (1-EoL-RIR)
  ----  -----  ----------  ---------------  -------------  -------------  ---------------  ------------  -------------  ----------------  ----------------  ----------  ------------------  ---------  ----------------
  2025  Co          7,706            120.3           22.1          102.1            109.8         1,000          109.8              17.9            -890.2       2,748                4.00       0.65            0.9935
  2026  Co          9,296            124.6           21.4           95.3            103.1         1,000          103.1              17.4            -896.9       2,748                3.75       0.63            0.9937
  2027  Co         10,828            140.1           22.1           88.4             97.5         1,000           97.5              18.0            -902.5       2,748                3.55       0.65            0.9935
  2028  Co         12,287            164.7           23.3           81.6             92.4         1,000           92.4              19.0            -907.6       2,748                3.36       0.69            0.9931
  2029  Co         13,652            200.2           25.0           74.7             87.7         1,000           87.7              20.5            -912.3       2,748                3.19       0.75            0.9925
  2030  Co         14,900            249.2           27.5           67.8             83.7         1,000           83.7              22.6            -916.3       2,748                3.05       0.82            0.9918

  $ rmct mfa recycle --metal Co --years 2025-2050 | grep -c ASSUMPTION
  28


# The battery system alone (--systems): recoverable Co, Ni and Li every 5 years against SungEel's
# stated capacity (1,000 t Co, 600 t Ni, 149 t Li), and the gap. Checked by hand for 2025: the mix
# (NMC622 0.2875, NMC811 0.6, LFP 0.1125) holds 0.1021 kg Co/kWh; scrap 25 GWh x 4 % x 0.1021 =
# 102.1 t, x 0.9 recovery = 91.9 t, plus 13.3 t end of life x 0.05 x 0.95 x 0.9 = 0.57 t: 92.48 t,
# gap -907.5 t. Li: 0.1019 kg/kWh, 101.9 t x 0.5 + 10.9 x 0.05 x 0.95 x 0.5 = 51.19 t. Nickel's
# capacity binds from 2040 in this table (recovered 600 t, gap 99 t).
  $ for m in Co Ni Li; do rmct mfa recycle --metal $m --systems ev-batteries --format csv | awk -F, 'NR == 1 && m == "Co" || $1 % 5 == 0 && NR > 1' m=$m | cut -d, -f1,2,4,7-9,11,14; done
  year,metal,eol_t,recoverable_t,capacity_t,recovered_t,capacity_gap_t,eol_rir_pct
  2025,Co,13.3165271242662,92.4781815345624,1000,92.4781815345624,-907.521818465438,0.0207192474979424
  2030,Co,148.914174424173,67.4274809566334,1000,67.4274809566334,-932.572519043367,0.231696267882324
  2035,Co,627.85473986569,87.9021901292583,1000,87.9021901292583,-912.097809870742,0.976882157535525
  2040,Co,1228.47720122922,113.578800352549,1000,113.578800352549,-886.421199647451,1.9113934842265
  2045,Co,1529.14068219961,126.432164164033,1000,126.432164164033,-873.567835835967,2.3791972154611
  2050,Co,1801.06027634058,138.05672681356,1000,138.05672681356,-861.94327318644,2.80227819730961
  2025,Ni,62.946494570371,499.582087642883,600,499.582087642883,-100.417912357117,0.0122924302478775
  2030,Ni,727.726359540855,435.813301870372,600,435.813301870372,-164.186698129628,0.142113164128578
  2035,Ni,3235.81655195462,543.03415759606,600,543.03415759606,-56.9658424039399,0.631902531369113
  2040,Ni,6884.02437599244,698.995042073677,600,600,98.9950420736769,1.15394672108659
  2045,Ni,9496.17284501025,810.664389124188,600,600,210.664389124188,1.37253986869207
  2050,Ni,11829.7289264691,910.423911606555,600,600,310.423911606555,1.52246946384538
  2025,Li,10.8785215941415,51.1859273878609,149,51.1859273878609,-97.8140726121391,0.00159703794864133
  2030,Li,126.346260241968,52.1742236807467,149,52.1742236807467,-96.8257763192533,0.018548455369524
  2035,Li,578.480656988991,62.9124156034885,149,62.9124156034885,-86.0875843965115,0.0849247348338143
  2040,Li,1319.7146976433,80.5167240690284,149,80.5167240690284,-68.4832759309716,0.193742728299691
  2045,Li,1980.65021111543,96.2139425139915,149,96.2139425139915,-52.7860574860085,0.290772374054881
  2050,Li,2571.02346639632,110.235307326913,149,110.235307326913,-38.7646926730875,0.37744301991307

  $ rmct mfa recycle --metal Ni --years 2030-2050 --format csv | awk -F, 'NR == 1 || $1 % 10 == 0' | cut -d, -f1,2,4,7-11,14
  year,metal,eol_t,recoverable_t,capacity_t,recovered_t,recovered_eol_t,capacity_gap_t,eol_rir_pct
  2030,Ni,727.726359540855,435.813301870372,600,435.813301870372,31.1103018703715,-164.186698129628,0.142113164128578
  2040,Ni,6884.02437599244,698.995042073677,600,600,252.612986667786,98.9950420736769,1.15394672108659
  2050,Ni,11829.7289264691,910.423911606555,600,600,333.287101860592,310.423911606555,1.52246946384538

  $ rmct mfa recycle --metal Li --years 2030-2050 --format csv | awk -F, 'NR == 1 || $1 % 10 == 0' | cut -d, -f1,2,4,7-11,14
  year,metal,eol_t,recoverable_t,capacity_t,recovered_t,recovered_eol_t,capacity_gap_t,eol_rir_pct
  2030,Li,138.149530041293,53.236517962686,149,53.236517962686,4.06301796268601,-95.763482037314,0.0251148440724477
  2040,Li,1331.51795764331,81.5790174690287,149,81.5790174690287,32.4055174690287,-67.4209825309713,0.200309111551061
  2050,Li,2582.82672639632,111.297600726913,149,111.297600726913,62.1241007269125,-37.7023992730875,0.384009403164438


# The bundled display system (tv-displays): indium in the ITO of flat-panel TVs, stock-driven. Checked
# by hand from data/mfa/systems/tv-displays.json: the 2011 stock is the mean of the 2010 and 2012
# household registrations, (18,259,000 + 19,009,000) / 2 x 1.395 TVs per registration = 25,994,430 TVs.
# By 2050 every cohort in use is of 2017 or later (flat panels, 0.20789 g In each), so indium in use
# = 20,145,000 x 1.395 = 28,102,275 TVs x 0.20789 g = 5.842 t. Manufacturing scrap = 481,024,000
# TV-equivalents x 0.20789 g x 0.7 = 70.0 t, x 0.65 recovery = 45.5 t recoverable, all recovered
# (capacity 120 t; 71.3 t of scrap in 2011: production and content are both interpolated, see the
# file). No end-of-life indium is recoverable (pre-processing 0). The 2011 in-use and
# end-of-life tonnages were recomputed cohort by cohort outside RMCT (2.1666 t, 0.0345 t).
  $ rmct mfa run tv-displays --format csv | awk -F, 'NR == 1 || $1 == 2011 || $1 == 2050' | cut -d, -f1,2,5,7,8,10-13
  year,metal,product_stock,in_use_t,eol_t,recoverable_eol_t,new_scrap_t,recoverable_new_t,recovered_t
  2011,In,25994430,2.16658318087457,0.0345275496585606,0,71.29969532,46.344801958,46.344801958
  2050,In,28102275,5.84218194975,0.536646171124185,0,70.000055552,45.5000361088,45.5000361088

# Parameters below 0.001 are listed with three significant digits (0.14118 g and 0.20789 g In per TV).
  $ rmct mfa show tv-displays | grep 'content.In \[' | cut -c1-80
    variants[0] (flat panel (LCD, OLED, PDP)).content.In [2010]     0.000141 kg/TV
    variants[0] (flat panel (LCD, OLED, PDP)).content.In [2017]     0.000208 kg/TV

# Indium over all systems: Phoenix M&M's 120 t a year of recycling capacity is not filled (gap 45.5 -
# 120 = -74.5 t); korea.json states no indium demand, so the EoL-RIR columns are empty.
  $ rmct mfa recycle --metal In --years 2030 --format csv
  year,metal,in_use_t,eol_t,collected_t,new_scrap_t,recoverable_t,capacity_t,recovered_t,recovered_eol_t,capacity_gap_t,demand_t,recycled_content_pct,eol_rir_pct,sr_factor
  2030,In,5.82919691477139,0.515971225664334,0.0980345328762234,70.000055552,45.5000361088,120,45.5000361088,0,-74.4999638912,,,,

# What-if: 90 % collection and capacity growing 15 % a year (from the last stated year, 2018).
  $ rmct mfa recycle --metal Co --years 2040 --collection 0.9 --capacity-growth 0.15 --format csv | cut -d, -f1,5,7-11,14
  year,collected_t,recoverable_t,capacity_t,recovered_t,recovered_eol_t,capacity_gap_t,eol_rir_pct
  2040,1195.84548110632,1079.4495663459,21644.7457021712,1079.4495663459,1018.3881663459,-20565.2961358253,37.0646774687971


# A Sankey diagram of one year's cobalt flows (rendered and not blank).
  $ rmct mfa recycle --metal Co --years 2040 --collection 0.9 --sankey co-2040.svg > /dev/null; rsvg-convert -w 900 co-2040.svg -o x.png && pngtopam x.png | ppmhist -noheader | wc -l | awk '{print ($1 > 10) ? "rendered, not blank" : "blank"}'
  wrote co-2040.svg
  rendered, not blank

  $ grep -o 'recovered in Korea\|beyond domestic capacity\|end of life</text>' co-2040.svg | sort -u
  beyond domestic capacity
  end of life</text>
  recovered in Korea


# Bad options and names.
  $ rmct mfa recycle --metal Xx
  rmct: --metal Xx: no product system contains it (modelled: Li Ni Co Mn Nd Pr Dy Tb In)
  [2]

  $ rmct mfa recycle --metal Co --years 2060-2070
  rmct: --years 2060-2070: expected years within the modelled 2011-2050
  [1]

  $ rmct mfa recycle --metal Co --collection 1.5
  rmct mfa recycle: --collection: expected a fraction from 0 to 1, got "1.5" (see 'rmct mfa recycle --help')
  [2]

  $ rmct mfa run nosuch
  rmct: no product system named "nosuch" (see 'rmct mfa list')
  [1]

  $ rmct mfa frobnicate
  rmct mfa: expected dsm, list, show, run or recycle, got "frobnicate" (see 'rmct mfa --help')
  [2]


# The criticality assessment with Korea's modelled EoL-RIR for 2030 in place of the EU proxy: cobalt's
# SR 3.8123 x (1 - 0.0082) / (1 - 0.22) = 4.847 (checked by hand from the two lines and the note).
  $ rmct assess --format csv | grep ',Co,' | cut -d, -f2,4; rmct assess --format csv --eol-from-mfa 2030 | grep ',Co,' | cut -d, -f2,4
  Co,3.81229883871481
  Co,4.84735176540809

  $ rmct assess --eol-from-mfa 2030 | head -1
  EoL-RIR from the recycling model for 2030 (rmct mfa recycle): Li 0.03% (EU proxy 0%), Co 0.82% (EU proxy 22%), Ni 0.14% (EU proxy 16%), Mn 0.00% (EU proxy 9%).

  $ rmct assess --explain cobalt --eol-from-mfa 2030 | grep -m1 '^    EoL-RIR'
      EoL-RIR                       0.008   [assumption/proxy] RMCT recycling model 2030: Co recovered from end of life / Korean demand of the modelled uses ('rmct mfa recycle --metal Co'), in place of the EU proxy

  $ rmct assess --eol-from-mfa 2070
  rmct: --eol-from-mfa 2070: expected a year the recycling model covers, 2011-2050
  [2]

