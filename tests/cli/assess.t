# Korea's criticality assessment by the EU method. Checked by hand for tungsten (rmct assess --explain
# tungsten): processing stage, HHI_WGI,t of the EU 2023 global shares (China 85.6% x WGI 5.63 ...) = 4.1445,
# IR 1 (labelled assumption), EoL-RIR 0.42 and SI_SR 0.96 (EU proxies): SR = 4.1445 x 0.58 x 0.96 = 2.308;
# EI = 187,086 x 0.95 / 204,200 x 10 = 8.70 (EU end uses and sector value added, proxies).
  $ rmct assess --format csv | grep -E '^(rank|[0-9]+,W,)' | cut -d, -f1-7
  rank,code,name,sr,sr_stage,ei,critical
  16,W,Tungsten,2.30764353297513,processing,8.70381811949069,true

  $ rmct assess | grep 'types critical'
  33 of 35 assessed; 28 of the 35 types critical (SR >= 1.0 and EI >= 2.8).

  $ rmct assess --explain tungsten | grep -E '^  Stage|= \[|^    EI =|^  Result|HHI_WGI,t$'
    Stage: extraction
        sum     97.80%                   4.11035  = HHI_WGI,t
      SR = [HHI_GS x IR/2 + HHI_KS x (1 - IR/2)] x (1 - EoL-RIR) x SI_SR
         = [4.11035 x 0.500 + 4.11035 x 0.500] x 0.580 x 0.960 = 2.2886
    Stage: processing  (the higher SR: used)
        sum    100.10%                   4.14447  = HHI_WGI,t
      SR = [HHI_GS x IR/2 + HHI_KS x (1 - IR/2)] x (1 - EoL-RIR) x SI_SR
         = [4.14447 x 0.500 + 4.14447 x 0.500] x 0.580 x 0.960 = 2.3076
      EI = sum(A x Q) x SI_EI / Q_max x 10 = 187086 x 0.950 / 204200 (C28 - Manufacture of machinery and equipment n.e.c.) x 10 = 8.704
    Result: SR 2.31 (threshold 1.0), EI 8.70 (threshold 2.8): CRITICAL
    What drives the SR: processing global supply: CHN 86% of supply, WGI 5.6, 100% of HHI_WGI,t

# Every factor is sourced or labelled an assumption or proxy
  $ rmct assess --explain cobalt | grep -cE 'assumption|proxy|USGS'
  12

# The same seed gives the same numbers; another seed other numbers
  $ rmct assess --samples 300 --seed 7 --format csv > a.csv; rmct assess --samples 300 --seed 7 --format csv > b.csv; cmp a.csv b.csv && echo same
  same

  $ rmct assess --samples 300 --seed 8 --format csv > c.csv; cmp -s a.csv c.csv || echo different
  different

  $ grep -E '^[0-9]+,Ga,' a.csv | cut -d, -f2,7,8
  Ga,true,1

# Thresholds are configurable
  $ rmct assess --sr-threshold 3 | grep 'types critical'
  33 of 35 assessed; 11 of the 35 types critical (SR >= 3.0 and EI >= 2.8).

# The criticality matrix as SVG, rendered to PNG and checked not blank; the workbook's sheets
  $ rmct assess --samples 100 --svg matrix.svg >/dev/null && rsvg-convert -w 900 matrix.svg -o matrix.png && pngtopam matrix.png | ppmhist -noheader | wc -l | awk '{print ($1 > 10) ? "rendered, not blank" : "blank"}'
  rendered, not blank

  $ grep -c '<circle' matrix.svg
  33

  $ rmct assess --xlsx book.xlsx >/dev/null && unzip -p book.xlsx xl/workbook.xml | grep -o '<sheet name="[^"]*"' | cut -d'"' -f2
  results
  supply shares
  IR, EoL-RIR, SI
  end uses (EI)
  method

# Against the national lists
  $ rmct assess --compare-lists | grep -E '^  (KR-CM|EU) '
    KR-CM    critical and listed 20; critical, not listed  8; listed, not critical  3; agreement on 22 types
    EU       critical and listed 23; critical, not listed  5; listed, not critical  0; agreement on 28 types

# One stage: tungsten's extraction SR (lower than processing), gallium has no extraction data
  $ rmct assess --stage extraction --format csv | grep -E '^(rank|[0-9]+,W,|,Ga,)' | cut -d, -f1-8
  rank,code,name,sr,sr_stage,ei,critical,driver
  6,W,Tungsten,2.28864543219884,extraction,8.70381811949069,true,"extraction global supply: CHN 81% of supply
  ,Ga,Gallium,,,,false,no extraction supply data (neither production by country nor EU shares)

  $ rmct assess --stage processing --format csv | grep -E '^[0-9]+,W,' | cut -d, -f4,5
  2.30764353297513,processing

  $ rmct assess --stage smelting
  rmct assess: --stage: expected extraction, processing or max, got "smelting" (see 'rmct assess --help')
  [2]

# Sensitivity, ranked. By hand for tungsten (SR 2.3076 = H x (1 - 0.42) x 0.96): EoL-RIR at 0.42 -+ 0.10
# gives 2.3076 x 0.68/0.58 = 2.7055 and x 0.48/0.58 = 1.9098; SI_SR at 0.86 and 1.0 (clamped) gives
# 2.3076 x 0.86/0.96 = 2.0673 and 2.3076/0.96 = 2.4038. China's share moves it most.
  $ rmct assess --sensitivity --format csv | grep -E '^(code|W,)' | cut -d, -f1,4-7 | sed -E 's/([0-9]\.[0-9]{4})[0-9]*/\1/g'
  code,rank,input,sr_low,sr_high
  W,1,global supply: share of CHN,0.7332,3.1417
  W,2,end-of-life recycling input rate (0.42 +- 0.10),2.7055,1.9097
  W,3,global supply: WGI of CHN,1.9812,2.6340
  W,4,substitution index SI_SR (0.96 +- 0.10),2.0672,2.4037
  W,5,global supply: share of USA,2.4123,2.2069

# Monte Carlo: the median lies within the 90% interval for every metal, SR and EI
  $ rmct assess --samples 200 --format csv | awk -F, 'NR > 1 && $9 != "" { n++; if ($9 > $10 || $10 > $11) bad++; if ($12 != "" && ($12 > $13 || $13 > $14)) bad++ } END { print n " rows, " bad + 0 " out of order" }'
  33 rows, 0 out of order

# The USGS 2022 form: what is available and the gaps
  $ rmct assess --method usgs2022 --format csv | grep -E '^(code|W),'
  code,name,production_hhi,asi,wsi,dp,te,te_basis,ev,sr
  W,Tungsten,0.623436069508476,gap,gap,gap,1,"assumption: no Korean production, all imported",gap,not computable

  $ rmct assess --explain copper
  rmct: Copper is not one of Korea's rare metals
  [1]

  $ rmct assess --samples 0
  rmct assess: --samples: expected 1-10000000, got "0" (see 'rmct assess --help')
  [2]

