# onepasswordreceiver — build, test and run the otelcol-onepassword distribution.
# Every tool is installed by this Makefile into ./bin or the Go module cache;
# nothing needs to be installed by hand (Go itself excepted).

SHELL := /bin/bash
GO    ?= go
BIN   := $(CURDIR)/bin
DIST  := $(CURDIR)/_build/otelcol-onepassword
SIM   := $(BIN)/eventsapi-sim

BUILDER_VERSION       := v0.165.0
GOLANGCI_LINT_VERSION := v2.15.0
BUILDER       := $(BIN)/builder
GOLANGCI_LINT := $(BIN)/golangci-lint
# mdatagen v0.159.0 runs from its own tools module (internal/tools/go.mod).
MDATAGEN := $(GO) tool -modfile=$(CURDIR)/internal/tools/go.mod mdatagen

FUZZTIME  ?= 20s
E2E_FLAGS ?=

.PHONY: all tools build sim generate test unit fuzz e2e bench lint run clean tidy

all: lint test

tools: $(BUILDER) $(GOLANGCI_LINT)

$(BUILDER):
	GOBIN=$(BIN) $(GO) install go.opentelemetry.io/collector/cmd/builder@$(BUILDER_VERSION)

$(GOLANGCI_LINT):
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

## build: the ocb distribution _build/otelcol-onepassword
build: $(BUILDER)
	$(BUILDER) --config builder-config.yaml

## sim: the bundled Events API simulator
sim:
	$(GO) build -o $(SIM) ./cmd/eventsapi-sim

## generate: regenerate the mdatagen output. mdatagen names the package of
## its generated tests after the folder holding metadata.yaml, so it runs
## through a path whose last element is onepasswordreceiver.
generate:
	cd internal/tools && $(GO) mod download
	tmp=$$(mktemp -d) && ln -s $(CURDIR) $$tmp/onepasswordreceiver && \
		cd $$tmp/onepasswordreceiver && $(MDATAGEN) metadata.yaml; rc=$$?; rm -rf $$tmp; exit $$rc

## test: every test — unit, golden, fuzz (briefly) and end-to-end against the built binary
test: unit fuzz e2e

unit:
	$(GO) test -race -count=1 ./...

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzDecodePage -fuzztime=$(FUZZTIME) ./internal/convert

e2e: build
	$(GO) test -tags=e2e -race -count=1 -timeout=40m ./e2e/... -args -otelcol=$(DIST) $(E2E_FLAGS)

## bench: decoder benchmarks and the end-to-end drain benchmark (results: BENCHMARKS.md)
bench: build
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 ./internal/convert
	$(GO) test -tags=e2e -run='^$$' -bench=. -benchtime=1x -count=1 -timeout=30m ./bench/... -args -otelcol=$(DIST)

## lint: go.mod/go.sum tidy, gofmt, go vet and golangci-lint
lint: $(GOLANGCI_LINT)
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run make tidy"; exit 1; }
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags=e2e ./e2e/... ./bench/... ./internal/e2ekit/...
	$(GOLANGCI_LINT) run --allow-serial-runners ./...

## run: build the distribution and run it. With OP_EVENTS_API_TOKEN set it
## reads the real Events API; without it, it starts the bundled simulator.
run: build sim
	@if [ -n "$$OP_EVENTS_API_TOKEN" ]; then \
		if [ -n "$$OP_USERS_CLIENT_ID" ] && [ -n "$$OP_USERS_CLIENT_SECRET" ]; then export OP_USERS_ENABLED=true; fi; \
		mkdir -p data/storage && exec $(DIST) --config config/collector.yaml; \
	else \
		./scripts/run-demo.sh $(DIST) $(SIM); \
	fi

tidy:
	$(GO) mod tidy

clean:
	rm -rf _build bin
