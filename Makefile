# dossier — common tasks. `make test` is what CI runs.
GO ?= go
PKGS := ./...

.PHONY: all build test vet fmt-check bench bench-search fuzz preview check clean

all: build

build:
	$(GO) build -o bin/dossier ./cmd/dossier

# Formatting, vet, every test with the race detector, then without it the
# incremental-equals-full property test over its full 200 edit sequences (the
# race run does 25) and the timing tests (TestScaling*: no step superlinear in
# one file's size; they skip under the race detector, which slows Go code
# unevenly), then the bundled content must pass `dossier check -strict`. Tests
# that need Chromium, Java or axe-core skip without them (they fail with CI
# set); each skip is logged and printed as one line at the end, so that it is
# seen, as is the folder of the browser test's screenshots of every page type
# ($DOSSIER_SCREENSHOTS, else a new temporary folder).
test: fmt-check vet
	@skips=$$(mktemp); shots=$${DOSSIER_SCREENSHOTS:-$$(mktemp -d "$${TMPDIR:-/tmp}/dossier-screenshots.XXXXXX")}; status=0; \
	DOSSIER_SKIP_LOG=$$skips DOSSIER_SCREENSHOTS=$$shots $(GO) test -race -count=1 $(PKGS) || status=$$?; \
	if [ $$status -eq 0 ]; then $(GO) test -count=1 -run '^(TestIncrementalEqualsFullBuild|TestScaling.*)$$' ./internal/build/ ./internal/annotate/ ./internal/markdown/ || status=$$?; fi; \
	if [ $$status -eq 0 ]; then $(GO) run ./cmd/dossier check -strict || status=$$?; fi; \
	if [ -s $$skips ]; then echo; sort -u $$skips | sed 's/^/make test: /'; fi; \
	if ls "$$shots"/*.png >/dev/null 2>&1; then echo "make test: screenshots of every page type in $$shots"; else rmdir "$$shots" 2>/dev/null || true; fi; \
	rm -f $$skips; exit $$status

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Benchmarks: Go benchmarks of the pipeline's steps (bundled dossier, generated
# corpora, rebuilds, the preview's save-to-ready), then dossier against Hugo
# side by side on the shared kit's corpora (tools/bench: cold builds' wall and
# CPU time, peak RSS, output, `dossier check` against the build, the goldmark
# floor, live reload p50/p90 and server RSS; installs Debian's hugo when
# missing), a scaling table (time per 1,000 articles, growth, linear or not,
# peak RSS under 2 GB) and pathological articles (one of 10, 25 and 50 MB; one
# with 250, 500 and 1,000 annotations: time per MB and per annotation).
# BENCH_SIZES=1000,10000,30000,100000 BENCH_HUGO_MAX=30000 for the full
# scaling table without Hugo at 100,000 articles (0: Hugo at every size).
BENCH_SIZES ?= 1000,10000
BENCH_HUGO_MAX ?= 0
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./internal/build/ ./internal/annotate/ ./internal/serve/ ./internal/provenance/ ./internal/picture/ ./internal/output/ ./internal/search/
	$(GO) run ./tools/bench -n $(BENCH_SIZES) -hugo-max $(BENCH_HUGO_MAX) -runs 3 -edits 10 -pathological

# dossier's search against Pagefind, side by side in headless Chromium, on the
# bundled dossier and corpora from ../shared/bench (sizes without the kit are
# skipped with a message); installs Pagefind with npm when missing.
BENCH_SEARCH_SIZES ?= 5,1000,10000
bench-search:
	$(GO) run ./tools/benchsearch -n $(BENCH_SEARCH_SIZES)

# Every fuzz test, each for FUZZTIME (`make fuzz FUZZTIME=5m`), found by
# their names so that none is left out. `make test` runs their seed corpora
# (testdata/fuzz/ and the f.Add seeds) as plain tests; a failure found here
# is written to testdata/fuzz/ and becomes a seed: commit it with the fix.
# FUZZ picks the targets by a pattern of their names (`make fuzz
# FUZZ=FuzzParseSize FUZZTIME=5m`, to go on with the one that found a bug).
FUZZTIME ?= 30s
FUZZ ?= .
fuzz:
	@set -e; list=$$(grep -rHo '^func Fuzz[A-Za-z0-9_]*' --include='*_test.go' internal cmd | sort -u | grep -E ':func $(FUZZ)' || true); \
	if [ -z "$$list" ]; then echo "make fuzz: no fuzz test's name matches FUZZ=$(FUZZ)" >&2; exit 1; fi; \
	echo "$$list" | \
	while IFS=: read -r file fn; do \
		name=$${fn#func }; pkg=./$$(dirname $$file); echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

preview: build
	./bin/dossier serve -open

check:
	$(GO) run ./cmd/dossier check -strict

clean:
	rm -rf bin public
