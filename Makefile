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
SOAK_DURATION ?= 60m
SOAK_TIMEOUT  ?= 3h
SOAK_FLAGS    ?=

# The version stamped into the binary (--version), the archives and the
# image tag: the git tag without its "v" on a tagged commit, else the tag and
# commit from git describe (or the abbreviated commit), -dirty when the work
# tree differs.
VERSION  ?= $(patsubst v%,%,$(or $(shell git describe --tags --always --dirty 2>/dev/null),0.0.0-dev))
REVISION ?= $(or $(shell git rev-parse HEAD 2>/dev/null),unknown)

# make dist: one archive per platform and checksums.txt in DIST_DIR.
PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64 windows/amd64
DIST_DIR  ?= $(CURDIR)/_dist

# make image: the container image IMAGE, for linux/IMAGE_ARCH. The engine is
# docker when its daemon answers, else podman (scripts/container-engine.sh).
IMAGE_NAME    ?= otelcol-onepassword
IMAGE         ?= $(IMAGE_NAME):$(VERSION)
IMAGE_ARCH    ?= $(shell $(GO) env GOARCH)
IMAGE_LICENSE ?= Apache-2.0
IMAGE_CONTEXT := $(CURDIR)/_build/image
CA_BUNDLE     ?= /etc/ssl/certs/ca-certificates.crt
CONTAINER_ENGINE ?= $(shell scripts/container-engine.sh)
# Global podman flags and its containers.conf. The defaults suit a root
# podman on a host that refuses crun's setrlimit and cgroup calls (CI
# machines that are containers themselves): runc, cgroupfs and no default
# ulimits. On a desktop, `make image PODMAN_FLAGS= PODMAN_CONTAINERS_CONF=`.
PODMAN_FLAGS           ?= --runtime runc --cgroup-manager cgroupfs
PODMAN_CONTAINERS_CONF ?= $(CURDIR)/scripts/containers.conf
# CONTAINER is the engine's command line; CONTAINER_ENV its environment.
CONTAINER     = $(CONTAINER_ENGINE) $(if $(filter podman,$(CONTAINER_ENGINE)),$(PODMAN_FLAGS))
CONTAINER_ENV = $(if $(and $(filter podman,$(CONTAINER_ENGINE)),$(PODMAN_CONTAINERS_CONF)),CONTAINERS_CONF=$(PODMAN_CONTAINERS_CONF))

PROMTOOL ?= promtool

.PHONY: all tools build sim generate test unit fuzz e2e bench soak lint run clean tidy \
	dist image deploy-tools deploy-test rules-test

all: lint test

tools: $(BUILDER) $(GOLANGCI_LINT)

$(BUILDER):
	GOBIN=$(BIN) $(GO) install go.opentelemetry.io/collector/cmd/builder@$(BUILDER_VERSION)

$(GOLANGCI_LINT):
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

## build: the ocb distribution _build/otelcol-onepassword
# ocb also reads its settings from the environment (key = the YAML path), so
# dist.version stamps VERSION without a second copy of builder-config.yaml.
build: $(BUILDER)
	env dist.version=$(VERSION) $(BUILDER) --config builder-config.yaml

## dist: archives of the distribution for PLATFORMS, and checksums.txt
dist: build
	GO=$(GO) ./scripts/dist.sh _build $(VERSION) $(DIST_DIR) $(PLATFORMS)

## image: the container image $(IMAGE), FROM scratch (see Dockerfile)
image: build
	@[ -n "$(CONTAINER_ENGINE)" ] || { echo "make image: neither a docker daemon nor podman (make deploy-tools installs podman)"; exit 1; }
	cd _build && CGO_ENABLED=0 GOOS=linux GOARCH=$(IMAGE_ARCH) $(GO) build -trimpath -ldflags='-s -w' -o image-bin/otelcol-onepassword .
	./scripts/image-context.sh _build/image-bin/otelcol-onepassword deploy/container/config.yaml $(CA_BUNDLE) $(IMAGE_CONTEXT)
	$(CONTAINER_ENV) $(CONTAINER) build --platform linux/$(IMAGE_ARCH) -f Dockerfile -t $(IMAGE) \
		--build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) --build-arg LICENSE=$(IMAGE_LICENSE) \
		$(IMAGE_CONTEXT)

## deploy-tools: install what deploy-test needs (podman, runc, promtool, zip) when missing
deploy-tools:
	./scripts/install-deploy-tools.sh

## rules-test: promtool checks and unit tests of the alerting rules
rules-test: deploy-tools
	$(PROMTOOL) check rules deploy/prometheus/*.rules.yaml
	cd deploy/prometheus && $(PROMTOOL) test rules tests/*.test.yaml

## deploy-test: the image, the archives, the rules and the deployment examples, tested
deploy-test: deploy-tools rules-test dist image
	$(CONTAINER_ENV) $(GO) test -tags=e2e,deploy -race -count=1 -timeout=20m -run '^TestDeploy' ./e2e/... \
		-args -otelcol=$(DIST) -dist=$(DIST_DIR) -version=$(VERSION) -image=$(IMAGE) -container='$(CONTAINER)' $(E2E_FLAGS)

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
test: unit fuzz e2e deploy-test

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

## soak: the collector for SOAK_DURATION (60m) under random API faults, sink
## refusals, backlogs and a SIGKILL every few minutes; then 0 events missing
## and RSS, goroutines, descriptors and storage flat (results: bench/results,
## BENCHMARKS.md). Not part of `make test`.
soak: build
	$(GO) test -tags=e2e -run='^TestSoak$$' -count=1 -v -timeout=$(SOAK_TIMEOUT) ./bench/ -args -otelcol=$(DIST) -soak-duration=$(SOAK_DURATION) $(SOAK_FLAGS)

## lint: go.mod/go.sum tidy, gofmt, go vet and golangci-lint
lint: $(GOLANGCI_LINT)
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run make tidy"; exit 1; }
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags=e2e ./e2e/... ./bench/... ./internal/e2ekit/...
	$(GO) vet -tags=e2e,deploy ./e2e/...
	$(GOLANGCI_LINT) run --allow-serial-runners ./...
	$(GOLANGCI_LINT) run --allow-serial-runners --build-tags=e2e,deploy ./e2e/...

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
	rm -rf _build _dist bin
