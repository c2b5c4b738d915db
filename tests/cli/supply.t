# The supply overview lists all 35 types, never dropping those without data.
# Checked by hand: tungsten 2025e from data/production.csv: China 67,000 t of 85,140 t (countries +
# 'Other countries') = 78.7%, HHI = sum of squared percentage shares = 6,234, CR3 = 85.0%.
  $ rmct supply --format csv | sed 1d | wc -l
  35

  $ rmct supply --format csv | grep -E ',(W|Cs|Tl|Ge),'
  5,Ge,Germanium,"Germanium processing, EU 2023 (2016-2020 avg)",China,83.1,6966.2,92.6,7,,shares only,HHI ONE>50%,European Commission (DG GROW) 2023
  6,W,Tungsten,W mine 2025e,China,78.6939159032182,6234.36069508476,85.036410617806,11,85000,t W content,HHI ONE>50%,U.S. Geological Survey 2026
  ,Cs,Caesium,no data: no production data by country in the loaded sources,,,,,,,,no_data,
  ,Tl,Thallium,no data: no production data by country in the loaded sources,,,,,,,,no_data,

  $ rmct supply | tail -4
  33 of 35 types have supply data; 24 flagged (HHI > 2500 or one country > 50%); 2 without data.
  HHI: 0-10,000 over named countries; 'e' = estimated year; world = published world total, else the sum.
  Series from EU CRM 2023 are published shares averaged over 2016-2020, not tonnages.
  Per-metal detail and sources: rmct show METAL.

  $ rmct supply --stage refinery --format csv | cut -d, -f2,4,5,6 | head -4
  type,series,top_producer,top_share_pct
  REE,"Dysprosium processing, EU 2023 (2016-2020 avg)",China
  Ga,Ga refinery 2025e,China,99.009900990099
  PGM,"Iridium processing, EU 2023 (2016-2020 avg)",South Africa

  $ rmct supply --year 2024 --format csv | grep ',W,'
  5,W,Tungsten,W mine 2024,China,82.0977821345423,6776.77825538996,88.5920843033942,10,82000,t W content,HHI ONE>50%,U.S. Geological Survey 2026

  $ rmct supply --no-eu --format csv | grep -c no_data
  4

  $ rmct supply --hhi-threshold 7000 --share-threshold 90 --format csv | grep -E ',(Ga|W),' | cut -d, -f2,12
  Ga,HHI ONE>90%
  W,

  $ rmct supply --stage smelter
  rmct supply: --stage: expected mine or refinery, got "smelter" (see 'rmct supply --help')
  [2]

  $ rmct supply --year 19x
  rmct supply: --year: expected a year, got "19x" (see 'rmct supply --help')
  [2]

# show: one page per metal; tungsten shows China's share of world mine production, with the source.
  $ rmct show tungsten | head -8
  Tungsten (W) - Korean rare-metal type 31 of 35, group: High-melting-point metals
  Elements (1): W Tungsten (Z 74, 183.8)
  On lists: KR, KR-CM, JP, US-2022, US, EU
  Not on: -
  
  World mine production of W (Tungsten), 2025 (estimated), in t W content  [1]
    Table: World Mine Production and Reserves
   #  country                   ISO  production (t)  share %   reserves (t)  R/P (years)

  $ rmct show tungsten | grep -E 'China  |Concentration|Reserves \(|\[1\] '
   1  China                     CHN          67,000     78.7      2,500,000           37
    Concentration: top-1 China 78.7%, top-3 85.0%, HHI 6,234 (highly concentrated: above 2,500), 11 producing countries.
    Reserves (2025, t W content) [2]: world 4,700,000 t; reserves-to-production 55 years.
  2023      79,500            China          83.0  6,930  2025     [3]
  2024      82,000       3.1  China          82.1  6,777  2026     [1]
  2025e     85,000       3.7  China          78.7  6,234  2026     [1]
    [1] U.S. Geological Survey, Mineral Commodity Summaries 2026 (Feb 2026), Tungsten chapter, table 'World Mine Production and Reserves'

  $ rmct show W --format csv | head -3
  element,stage,year,estimated,country,iso3,production_t,share_pct,reserves_t,basis,source_file
  W,mine,2025,true,China,CHN,67000,78.6939159032182,2500000,t W content,production.csv
  W,mine,2025,true,Vietnam,VNM,3000,3.52360817477097,170000,t W content,production.csv

  $ rmct show w --format json | grep -E '"(cr1_pct|hhi|sum_t|rp_years)"' | head -4
        "sum_t": 85140.0,
        "hhi": 6234.36069508476,
        "cr1_pct": 78.6939159032182,
        "rp_years": 55.2941176470588,

  $ rmct show ge | grep -E 'No production|Germanium'
  Germanium (Ge) - Korean rare-metal type 7 of 35, group: Semi-metals
  Elements (1): Ge Germanium (Z 32, 72.63)
  No production data by country in the loaded sources; the EU CRM 2023 shares below are the only supply picture.
  Germanium refinery production, 2023: the source names the producers but publishes no quantities (Belgium, Canada, China, Germany, Russia, United States) [1].
    Germanium                processing China 83.1%, Russia 5.0%, Belgium 4.5%, ... (HHI 6,966, 7 countries)
    [1] U.S. Geological Survey, Mineral Commodity Summaries 2025, world data release, Germanium: Primary and secondary refinery production

  $ rmct show cs
  Caesium (Cs) - Korean rare-metal type 3 of 35, group: Alkali and alkaline-earth metals
  Elements (1): Cs Caesium (Z 55, 132.9)
  On lists: KR, JP, US-2022, US
  Not on: KR-CM, EU
  
  No production data by country in the loaded sources.
  
  Sources: none: no supply data for this metal is loaded (see 'rmct sources').

  $ rmct show pd | head -3
  Palladium (Pd), Z 46 - element of the Korean rare-metal type PGM (Platinum group elements, type 35 of 35, group: Platinum group)
  Elements (6): Ru Rh Pd Os Ir Pt
  On lists: KR, KR-CM, JP, US-2022, US, EU

  $ rmct show copper
  rmct: Copper (Cu) is not one of Korea's 35 rare-metal types; 'rmct lists' shows which lists name it
  [1]

  $ rmct show
  rmct show: expected a metal, e.g. 'rmct show tungsten' (see 'rmct show --help')
  [2]

