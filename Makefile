# RMCT build: librmct (lib/) and the rmct CLI (src/) on top of it.
# Dependencies come from Debian packages through pkg-config; scripts/setup installs them.
#
#   make            build build/rmct and the dashboard (web/dist)
#   make test       build and run the whole suite (unit, CLI, API, browser), ends with "N passed, N failed"
#   make check      make test with gcc, with clang, and with AddressSanitizer + UBSan
#   make web        build the dashboard only
#   make clean

CC      ?= cc
BUILD   ?= build
PKGS    := sqlite3 jansson libsodium xlsxwriter
DATADIR ?= $(abspath data)
WEBDIR  ?= $(abspath web)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# GLPK (stockpile plan) ships no pkg-config file in Debian 12: ask pkg-config first, else -lglpk.
GLPK_LIBS  := $(shell pkg-config --libs glpk 2>/dev/null || echo -lglpk)
# libmicrohttpd only for the programs (the HTTP server, src/serve*.c): the library never depends on it.
HTTPD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd)
HTTPD_LIBS   := $(shell pkg-config --libs libmicrohttpd)
# Open MPI only for the programs: the library never depends on it (src/sim_mpi.c).
MPI_CFLAGS := $(shell pkg-config --cflags ompi-c)
MPI_LIBS   := $(shell pkg-config --libs ompi-c)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka)

OPT      ?= -O2 -g
SAN      ?=
# -ffp-contract=off: no fused multiply-adds, so that the simulator's vector kernel (lib/sim_lanes.c,
# built for AVX-512 and AVX2 too) gives the very figures of its scalar twin with either compiler
CFLAGS   := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -ffp-contract=off $(OPT) $(SAN) $(EXTRA_CFLAGS)
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread -Ilib -I$(BUILD) $(PKG_CFLAGS) \
            -DRMCT_DATADIR='"$(DATADIR)"' -DRMCT_WEBDIR='"$(WEBDIR)"'
LDFLAGS  := $(SAN)
LDLIBS   := $(PKG_LIBS) $(GLPK_LIBS) -lm -pthread

LIB_SRC  := $(wildcard lib/*.c)
LIB_OBJ  := $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRC)) $(BUILD)/lib/migrations.o
CLI_SRC  := $(wildcard src/*.c)
CLI_OBJ  := $(patsubst src/%.c,$(BUILD)/src/%.o,$(CLI_SRC))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
SQL      := $(sort $(wildcard sql/*.sql))

.PHONY: all test check clean test-gcc test-clang test-asan web
all: $(BUILD)/rmct web/dist/index.html
web: web/dist/index.html

# The dashboard (docs/DASHBOARD.md): web/src bundled by esbuild with the npm packages pinned in
# web/package-lock.json (scripts/setup installs them with npm ci) into web/dist, which rmct serve
# serves; shared by every build directory.
WEB_SRC := $(wildcard web/src/*.js web/src/*/*.js web/src/*.css web/src/*.html web/src/*.svg)
web/dist/index.html: $(WEB_SRC) web/build.mjs web/package-lock.json data/country_display.csv
	@if [ ! -d web/node_modules/esbuild ]; then echo "web/node_modules is missing: run scripts/setup (npm ci in web/)" >&2; exit 1; fi
	@echo "WEB web/dist"; node web/build.mjs > /dev/null

$(BUILD)/librmct.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/rmct: $(CLI_OBJ) $(BUILD)/librmct.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/librmct.a $(LDLIBS) $(HTTPD_LIBS) $(MPI_LIBS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/lib
	@echo "CC $<"; $(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/%.o: src/%.c $(wildcard src/*.h) $(wildcard lib/*.h) | $(BUILD)/src
	@echo "CC $<"; $(CC) $(CPPFLAGS) $(MPI_CFLAGS) $(HTTPD_CFLAGS) $(CFLAGS) -c -o $@ $<

# Schema migrations are compiled into the library so the binary never depends on the source tree for them.
$(BUILD)/lib/migrations.c: $(SQL) scripts/embed-sql | $(BUILD)/lib
	scripts/embed-sql $(SQL) > $@

$(BUILD)/lib/migrations.o: $(BUILD)/lib/migrations.c
	@echo "CC $<"; $(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librmct.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/librmct.a $(CMOCKA_LIBS) $(LDLIBS) $(LDFLAGS)

$(BUILD)/lib $(BUILD)/src $(BUILD)/tests:
	mkdir -p $@

test: $(BUILD)/rmct $(UNIT_BIN) web/dist/index.html
	@tests/run $(BUILD)

test-gcc:
	@$(MAKE) --no-print-directory test CC=gcc BUILD=build/gcc
test-clang:
	@$(MAKE) --no-print-directory test CC=clang BUILD=build/clang
# Sanitizer builds use more memory (shadow memory, quarantine): the large-file test allows for it.
test-asan:
	@RMCT_MAX_RSS_MB=1024 $(MAKE) --no-print-directory test CC=gcc BUILD=build/asan OPT='-O1 -g' \
	  SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'

# All three variants; the last line sums them.
check:
	@mkdir -p build; rm -f build/.check-*
	@$(MAKE) --no-print-directory test-gcc   2>&1 | tee build/.check-gcc
	@$(MAKE) --no-print-directory test-clang 2>&1 | tee build/.check-clang
	@$(MAKE) --no-print-directory test-asan  2>&1 | tee build/.check-asan
	@tail -qn1 build/.check-gcc build/.check-clang build/.check-asan | \
	  awk '/^[0-9]+ passed, [0-9]+ failed$$/ {p+=$$1; f+=$$3; n++} \
	       END {if (n != 3) f++; print p " passed, " f " failed"; exit (f > 0)}'

clean:
	rm -rf build web/dist
