# The registry: Korea's 35 rare-metal types in 7 groups, 56 elements (KIRAM), and the other lists.
# Checked by hand against data/national_lists.csv (KR-RM rows) and data/eu_crm_2023.csv.
  $ rmct metals --format csv | sed 1d | wc -l
  35

  $ rmct metals --format csv | cut -d, -f5 | sed 1d | paste -sd+ | bc
  56

  $ rmct metals --format csv | cut -d, -f4 | sed 1d | sort | uniq -c
        6 Alkali and alkaline-earth metals
        5 Boron group
       11 High-melting-point metals
        2 Iron group
        1 Platinum group
        1 Rare earths
        9 Semi-metals

  $ rmct metals --group ree
  no  type  name                 group         n  elements                                           KR   KR-CM  JP     US-2022  US     EU
  --  ----  -------------------  -----------  --  -------------------------------------------------  ---  -----  -----  -------  -----  -----
  34  REE   Rare earth elements  Rare earths  17  Sc Y La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu  yes  5/17   16/17  16/17    16/17  16/17
  
  1 types, 17 elements. Source: Korea Institute for Rare Metals (KIRAM), 'Definition of Rare Metals', types of rare metals table https://kiram.re.kr/en/info/introduction

  $ rmct metals --group pgm --format json
  [
    {
      "no": 35,
      "code": "PGM",
      "name": "Platinum group elements",
      "group": "Platinum group",
      "n_elements": 6,
      "elements": "Ru Rh Pd Os Ir Pt",
      "KR_elements": 6,
      "KR_CM_elements": 2,
      "JP_elements": 2,
      "US_2022_elements": 5,
      "US_elements": 5,
      "EU_elements": 6
    }
  ]

  $ rmct metals --list KR --format csv | head -3
  no,code,name,group,n_elements,elements,KR_elements,KR_CM_elements,JP_elements,US_2022_elements,US_elements,EU_elements
  1,Li,Lithium,Alkali and alkaline-earth metals,1,Li,1,1,1,1,1,1
  2,Mg,Magnesium,Alkali and alkaline-earth metals,1,Mg,1,1,0,1,1,1

  $ rmct metals --list JP | tail -4
  Rare earth elements  group    Ce Dy Er Eu Gd Ho La Lu Nd Pm Pr Sm Tb Tm Y Yb  REE                     KIRAM notes Japan's rare earths exclude scandium (16 elements)
  
  Japan rare metals (31) (JP, 2009): 31 members, 46 elements, 0 materials that are not elements.
  Source: Japan, METI 'Rare Metals Security Strategy' (2009): 31 rare metals, as listed in secondary sources; METI now speaks of 34 rare metals without a list in the source read https://www.researchgate.net/publication/281189704_Classifying_critical_materials_A_review_of_European_approaches ; http://news.chinatungsten.com/en/tungsten-product-news/136351-tpn-9673.html ; https://www.enecho.meti.go.jp/en/category/special/article/det

  $ rmct metals --list EU --format csv | grep -E '^(HREEs|Natural graphite|Scandium),'
  HREEs,group,Dy Er Eu Gd Ho Lu Tb Tm Y Yb,REE,
  Natural graphite,material,,,
  Scandium,element,Sc,REE,

  $ rmct metals --list XX
  rmct: expected a list (KR, KR-CM, JP, US-2022, US, EU), got "XX"
  [1]

  $ rmct metals --group metalloids
  rmct: expected a group (alkali, semimetal, iron, boron, refractory, ree, pgm, or 1-7), got "metalloids"
  [1]

# lists: the counts and the matrix (Korea: 35 types, 56 elements)
  $ rmct lists --counts
  list     id           name                                                 year  members  elements  non-elements  KR types  KR elements
  -------  -----------  ---------------------------------------------------  ----  -------  --------  ------------  --------  -----------
  KR       KR-RM        Korea rare metals (35 types, 56 elements)            2009       35        56             0        35           56
  KR-CM    KR-CM-2023   Korea critical minerals (33, of which 10 strategic)  2023       33        32             1        23           28
  JP       JP-RM-2009   Japan rare metals (31)                               2009       31        46             0        29           45
  US-2022  US-CM-2022   US critical minerals 2022 (50)                       2022       50        48             3        26           45
  US       US-CM-2025   US critical minerals 2025 (60)                       2025       60        57             6        30           49
  EU       EU-CRM-2023  EU critical raw materials 2023                       2023       32        43             6        23           43

  $ rmct lists --format csv | grep -E '^"?(Tungsten|Rare earth|Graphite|Copper|Caesium)'
  Caesium (Cs),KR type,Cs,1,0,1,1,1,0
  Tungsten (W),KR type,W,1,1,1,1,1,1
  Rare earth elements (REE),KR type,Sc Y La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu,17,5,16,16,16,16
  Copper,element,Cu,0,1,0,0,1,0
  Graphite,material,,0,1,0,1,1,0

  $ rmct lists --format csv | grep -c ",KR type,"
  35

# Names resolve case-insensitively by symbol, name, type code or alias
  $ for m in w TUNGSTEN Wolfram ree 'rare earths' pgm Columbium cesium nd; do rmct show "$m" --format json 2>&1 | head -3 | tail -2 | tr -d '\n '; echo; done
  "name":"Tungsten","code":"W",
  "name":"Tungsten","code":"W",
  rmct:expectedametal(elementsymbolorname,typecodesuchasREEorPGM,oraknownalias),got"Wolfram"
  "name":"Rareearthelements","code":"REE",
  "name":"Rareearthelements","code":"REE",
  "name":"Platinumgroupelements","code":"PGM",
  "name":"Niobium","code":"Nb",
  "name":"Caesium","code":"Cs",
  "name":"Neodymium","code":"Nd",

