# Trade: readers, imports by partner, mirror check, look-through, dependence (tests/fixtures/trade;
# the numbers there are test data). Checked by hand: Korea's 2023 declared lithium-carbonate imports
# are Chile 410,000,000 + Japan 26,000,000 + China 13,000,000 = 449,000,000 USD (the World row, the
# customs and transport-mode breakdowns, the chapter-level row and the re-export are not counted);
# contained Li = tonnes x 0.18785 (2 x 6.94 / 73.888 for Li2CO3, bodr atomic weights).
  $ rmct import baci-countries fixtures/trade/country_codes_V202401.csv --format csv | cut -d, -f3,4
  status,rows
  imported,2

  $ rmct import baci-products fixtures/trade/product_codes_HS17_V202401.csv --format csv | cut -d, -f3,4
  status,rows
  imported,3

  $ rmct import baci fixtures/trade/BACI_HS17_Y2023_V202401.csv --format csv | cut -d, -f3,4,6-
  status,rows,note
  imported,8,"8 rows of mapped products kept, 1 skipped (products outside the HS map); warning: 1 rows with country codes RMCT cannot place (e.g. 999), kept by code"

  $ rmct import comtrade fixtures/trade/comtrade_2023.csv fixtures/trade/comtrade_legacy_2022.csv --format csv | cut -d, -f3,4,6-
  status,rows,note
  imported,6,"6 rows of mapped products kept, 5 skipped (other products 1, World rows 1, re-exports/re-imports 1, breakdown rows 2)"
  imported,3,"3 rows of mapped products kept, 1 skipped (other products 0, World rows 1, re-exports/re-imports 0, breakdown rows 0)"

  $ rmct imports lithium
  Lithium (Li): imports into KOR, all forms
  
  2023, from the reporter's declarations (UN Comtrade):
  #  partner  ISO  value (USD)  share %  product (t)  contained (t Li)  partner says (USD)  gap %
  -  -------  ---  -----------  -------  -----------  ----------------  ------------------  -------
  1  Chile    CHL  410,000,000     91.3       20,000             3,757         300,000,000  +27 GAP
  2  Japan    JPN   26,000,000      5.8        1,000               188                      
  3  China    CHN   13,000,000      2.9          600               113          12,500,000  +4
    Total: USD 449,000,000; 4,057.6 t Li contained (3 flows).
    Concentration of partners: top Chile 91.3%, HHI 8,380 (0-10,000); from China 2.9%; from countries with
    weak governance (mean of the six WGI estimates below 0) 2.9%.
    Exports: USD 1,300,000; net imports USD 447,700,000.
  
  Trend:
  year  value (USD)  contained (t Li)  top partner  top %    HHI  source
  ----  -----------  ----------------  -----------  -----  -----  --------
  2022  560,000,000           3,193.5  Chile         89.3  8,087  importer
  2023  449,000,000           4,057.6  Chile         91.3  8,380  importer
  
  Sources: 'rmct sources' lists the imported trade files; HS codes and content factors: data/hs_map.csv.

# As CSV: one row per year and partner
  $ rmct imports Li --year 2023 --format csv
  year,source_kind,partner,iso3,code,value_usd,share_pct,product_t,contained_t,mirror_usd
  2023,importer,Chile,CHL,152,410000000,91.3140311804009,20000,3757.03767864877,300000000
  2023,importer,Japan,JPN,392,26000000,5.79064587973274,1000,187.851883932438,
  2023,importer,China,CHN,156,13000000,2.89532293986637,600,112.711130359463,12500000

# Look-through: Korea's lithium from Japan (which mines none and buys from China) counts for China;
# China's own supply is its 2023 mine production (USGS) plus Argentine carbonate, so a little goes to Argentina.
  $ rmct imports lithium --year 2023 --look-through | sed -n '/^Look-through/,/^$/p'
  Look-through to producing countries, 2023 (5 flows with tonnes; 1 without, left out; 9 producers: mine production 2023 (contained)):
  country    ISO  direct %  by origin %
  ---------  ---  --------  -----------
  Chile      CHL      93.0         93.0
  China      CHN       2.3          6.6
  Argentina  ARG       0.0          0.3
  Japan      JPN       4.7          0.0
    Method: docs/TRADE.md (each country's supply = its production + its imports, mixed by origin;
    4 iterations, residual 0.0e+00).

  $ rmct dependence --format csv | head -3 | cut -d, -f1-10
  type,name,basis,year,nir_pct,hhi,top_partner,top_pct,china_pct,weak_governance_pct
  Co,Cobalt,trade: BACI,2023,100,10000,China,100,100,100
  Li,Lithium,trade: declared,2023,100,8380.16676504581,Chile,91.3140311804009,2.89532293986637,2.89532293986637

  $ rmct dependence --look-through --format csv | grep '^Li,' | cut -d, -f1,3,11
  Li,trade: declared,6.62798255851476

  $ rmct dependence --format csv | grep -c PROXY
  24

# Without trade files for a metal: reported facts, then a labelled proxy
  $ rmct imports gallium
  Gallium (Ga): imports into KOR, all forms
  
  No trade flows of this metal into KOR are loaded.
  
  Reported facts (from the press and agencies citing customs data; not a full partner table):
    2024  Gallium                              China              98.0% share        (share (basis not stated))
        Korea JoongAng Daily, citing KIGAM https://koreajoongangdaily.joins.com/news/2025-07-28/business/industry/Supply-chain-diversification-lags-despite-Koreas-critical-mineral-challenges/2362976
    2024  Gallium                              China              98.0% share        (share (basis not stated))
        Chosun Biz, citing MOTIE/KOMIR https://biz.chosun.com/en/en-policy/2025/10/05/5BL4MZW4UNHCBIMMAIRX6KKTJA/?outputType=amp
    2020  Gallium                              China              43.0% share        (share (basis not stated))
        Korea JoongAng Daily (28 Jul 2025), citing Korea Institute of Geoscience and Mineral Resources (KIGAM) trade data https://koreajoongangdaily.joins.com/news/2025-07-28/business/industry/Supply-chain-diversification-lags-despite-Koreas-critical-mineral-challenges/2362976
  
  PROXY, not a measurement of Korea's imports: world refinery production shares (Ga latest year): top producer China 99.0%, HHI 9,804.
  Load UN Comtrade or CEPII BACI files ('rmct import comtrade|baci') for Korea's actual partners.

  $ rmct imports tungsten | tail -3
  
  PROXY, not a measurement of Korea's imports: world mine production shares (W latest year): top producer China 78.7%, HHI 6,234.
  Load UN Comtrade or CEPII BACI files ('rmct import comtrade|baci') for Korea's actual partners.

# trade summary on a raw BACI file (hand-checked: 2022/410/280530: 156 gives 100.5 + 0.25, 392 and 842
# give 50 each: total 200.750, top 156 with 100.75 / 200.75, HHI = 0.50187^2 + 2 x 0.24907^2 = 0.37594)
  $ rmct trade summary fixtures/trade/summary_tiny.csv
  t,j,k,total_value,n_partners,top1_partner,top1_share,hhi
  2021,410,810100,1.001,1,156,1,1
  2022,410,280530,200.750,3,156,0.50186799501867992,0.37593923161742464

  $ rmct trade summary fixtures/trade/summary_tiny.csv --all-importers --hs 28 --format table
  year  importer  HS6     total (kUSD)  partners  top partner  top share     HHI
  ----  --------  ------  ------------  --------  -----------  ---------  ------
  2022       392  280530  7.000                1          156     1.0000  1.0000
  2022       410  280530  200.750              3          156     0.5019  0.3759

# Bad input: clear errors, nothing stored
  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-negative.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-negative.csv:3:21: v: expected a non-negative value in thousand USD, got "-25"
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-value.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-value.csv:3:21: v: expected a non-negative value in thousand USD, got "lots"
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-header.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-header.csv:1:9: expected a header with the columns t,i,j,k,v,q, got an unknown column "value"
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-duplicate.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-duplicate.csv:4:1: expected one row per year, exporter, importer and product, got a duplicate of line 2
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-truncated.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-truncated.csv:3:18: expected 6 fields as in the header, got 4 (the file ends in the middle of a record)
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/BACI_HS17_Y2023_bad-product.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-product.csv:2:14: k: expected an HS6 product code of six digits, got "28369"
  unchanged
  [1]

  $ before=$(dbhash); rmct import baci fixtures/trade/trade_no_version.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/trade_no_version.csv: expected the HS edition in the file name (e.g. BACI_HS17_Y2022_V202401.csv) or --hs-version
  unchanged
  [1]

  $ before=$(dbhash); rmct import comtrade fixtures/trade/comtrade_bad-flow.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/comtrade_bad-flow.csv:2:14: flowCode: expected a trade flow code (M, X, RM, RX or 1-4), got "Z"
  unchanged
  [1]

  $ before=$(dbhash); rmct import comtrade fixtures/trade/comtrade_bad-header.csv; s=$?; [ "$(dbhash)" = "$before" ] && echo unchanged; exit $s
  rmct: fixtures/trade/comtrade_bad-header.csv:1:1: expected a UN Comtrade header (refYear,reporterCode,partnerCode,flowCode,cmdCode,primaryValue,netWgt,... or Year,Reporter Code,Partner Code,Trade Flow Code,Commodity Code,Trade Value (US$),...), missing "cmdCode"
  unchanged
  [1]

# CRLF and an explicit HS edition are fine
  $ rmct import baci fixtures/trade/BACI_HS17_Y2023_crlf.csv --format csv | cut -d, -f3,4
  status,rows
  imported,2

  $ rmct import baci fixtures/trade/trade_no_version.csv --hs-version HS17 --format csv | cut -d, -f3,4
  status,rows
  imported,1

  $ rmct trade summary fixtures/trade/BACI_HS17_Y2023_bad-truncated.csv
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-truncated.csv:3:18: expected 6 fields t,i,j,k,v,q, got a line that ends early (the file ends in the middle of a record)
  [1]

  $ rmct trade summary fixtures/trade/BACI_HS17_Y2023_bad-value.csv
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-value.csv:3:21: v: expected a value in thousand USD with at most 3 decimals, got "lots"
  [1]

  $ rmct trade summary fixtures/trade/BACI_HS17_Y2023_bad-header.csv
  rmct: fixtures/trade/BACI_HS17_Y2023_bad-header.csv:1:1: expected the BACI header t,i,j,k,v,q, got "t,i,j,k,value,q"
  [1]

  $ rmct trade summary fixtures/trade/summary_tiny.csv --hs 2x
  rmct: --hs: expected 1 to 6 digits of an HS code, got "2x"
  [2]

